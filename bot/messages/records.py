"""Texts of the meeting record (会议记录) written from a confirmed report."""

from __future__ import annotations

# -- meeting-record: the 会议记录 page written from a confirmed report ----------------------------
MINUTES_BUTTON = "生成会议记录"
MINUTES_ASK = (
    "生成会议记录还需要“{field}”，这条记录里没有写。"
    "请回复{field}{hint}；回复“跳过”则留空，打印后手写。"
)
MINUTES_HINTS = {"host": "姓名", "recorder": "姓名", "topics": "（多个议题用顿号隔开）"}
MINUTES_BAD_VALUE = "“{field}”请用一两句话（不超过 {limit} 个字），或回复“跳过”。"
MINUTES_CAPTION = "{village}{type}（{date}）会议记录，A4 一页，可直接打印。"
MINUTES_CAPTION_PHOTOS = "照片共 {total} 张，页面附 {shown} 张。"
MINUTES_NOT_FOUND = "第 {id} 号记录不在您的查看范围，或已删除。"
MINUTES_NOT_YOURS = (
    "第 {id} 号记录已不能补充（只有上报人在修改期限内可以补），空着的栏目打印后手写。"
)
CLI_RECORD_BAD_ID = "记录编号应是数字，如 12（收到的是“{id}”）。"
CLI_RECORD_NOT_FOUND = "台账里没有第 {id} 号记录（或已删除）。"
CLI_RECORD_SAVED = "已把第 {id} 号记录的会议记录保存到 {path}（附照片 {photos} 张）"
