"""WeCom's server API, the part a self-built app needs: an access token (cached, refreshed
before it expires or when WeCom says it has), message/send, media download. Thin on purpose:
wechatpy's client predates template cards; its crypto is what
bot/channels/wecom/callback.py uses."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.channels.wecom.pace import MemberPace

log = logging.getLogger(__name__)

# errcodes: the token expired or is invalid; the frequency limits; the user is gone
TOKEN_ERRORS = frozenset({40014, 42001})
RATE_LIMITED = frozenset({45009, 45033, 45011})
USER_GONE = frozenset({60111, 81013, 60103, 40031})
NO_SUCH_USER = 60111
NOT_VISIBLE = 60011  # outside the app's visible range (可见范围)
TOKEN_MARGIN_S = 300  # refresh this long before WeCom's expiry


class WeComError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode


class MediaTooLarge(ValueError):
    """A download that passed its limit; `size` is how far it got."""

    def __init__(self, size: int) -> None:
        super().__init__(f"media over the limit at {size} bytes")
        self.size = size


@dataclass
class WeComAPI:
    base_url: str
    corp_id: str
    secret: str
    agent_id: int
    timeout_s: float = 10.0
    pace: MemberPace = field(default_factory=MemberPace)

    def __post_init__(self) -> None:
        self._client = httpx.Client(
            base_url=self.base_url.rstrip("/") + "/", timeout=self.timeout_s
        )
        self._token: str | None = None
        self._token_expires = 0.0
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def token(self, *, fresh: bool = False) -> str:
        with self._lock:
            if fresh or self._token is None or time.monotonic() >= self._token_expires:
                data = self._checked(
                    self._client.get(
                        "gettoken", params={"corpid": self.corp_id, "corpsecret": self.secret}
                    )
                )
                self._token = str(data["access_token"])
                expires_in = float(data.get("expires_in", 7200))
                self._token_expires = time.monotonic() + max(60.0, expires_in - TOKEN_MARGIN_S)
            return self._token

    def send(self, user_id: str, message: dict[str, Any]) -> dict[str, Any]:
        """message/send to one user; `message` is {"msgtype": …, <msgtype>: {…}}. Waits for the
        member's slot under WeCom's per-member limits (MemberBusy past a minute)."""
        self.pace.take(user_id)
        body = {"touser": user_id, "agentid": self.agent_id, **message}
        return self._post("message/send", body)

    def member(self, user_id: str) -> dict[str, Any]:
        """One member of the corp's address book (user/get): userid, name, department …"""
        return self._call("GET", "user/get", params={"userid": user_id})

    def create_menu(self, menu: dict[str, Any]) -> None:
        """The app's menu at the bottom of its chat (menu/create replaces the whole menu)."""
        self._call("POST", "menu/create", params={"agentid": self.agent_id}, json=menu)

    def update_card_button(self, user_id: str, response_code: str, label: str) -> None:
        """Turn a pressed button-interaction card's buttons into one that says `label` and can
        no longer be pressed (message/update_template_card; the code comes with the event)."""
        body = {
            "userids": [user_id],
            "agentid": self.agent_id,
            "response_code": response_code,
            "button": {"replace_name": label},
        }
        self._post("message/update_template_card", body)

    def upload(self, kind: str, name: str, data: bytes) -> str:
        """media/upload a file or image for one message; its media_id."""
        uploaded = self._call(
            "POST", "media/upload", params={"type": kind}, files={"media": (name, data)}
        )
        return str(uploaded["media_id"])

    def media(self, media_id: str, limit: int) -> bytes:
        """A received image's bytes (media/get), counted as they arrive."""
        received = bytearray()
        params = {"access_token": self.token(), "media_id": media_id}
        with self._client.stream("GET", "media/get", params=params) as response:
            response.raise_for_status()
            if response.headers.get("content-type", "").startswith("application/json"):
                response.read()
                self._checked(response)
            for block in response.iter_bytes():
                received += block
                if len(received) > limit:
                    raise MediaTooLarge(len(received))
        return bytes(received)

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", path, json=body)

    def _call(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        """One API call with the cached token, asked again once if WeCom says it has expired."""
        for attempt in range(2):
            query = {**(params or {}), "access_token": self.token()}
            response = self._client.request(method, path, params=query, **kwargs)
            try:
                return self._checked(response)
            except WeComError as exc:
                if exc.errcode in TOKEN_ERRORS and attempt == 0:
                    self.token(fresh=True)
                    continue
                raise
        raise AssertionError("unreachable")

    @staticmethod
    def _checked(response: httpx.Response) -> dict[str, Any]:
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        if data.get("errcode", 0) != 0:
            raise WeComError(int(data["errcode"]), str(data.get("errmsg", "")))
        return data
