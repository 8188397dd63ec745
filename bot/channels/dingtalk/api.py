"""DingTalk's server API, the part a Stream-mode robot needs: the stream's endpoint and ticket
(gateway/connections/open), an access token (cached, refreshed before it expires or when
DingTalk refuses it), files a member sent (messageFiles/download), replies through a message's
sessionWebhook, and one-to-one robot messages (oToMessages/batchSend). Blocking httpx: the
channel calls it from worker threads, as the core is synchronous too."""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger(__name__)

TOPIC_BOT_MESSAGE = "/v1.0/im/bot/messages/get"
TOKEN_MARGIN_S = 300  # refresh this long before DingTalk's expiry
# HTTP statuses and codes of DingTalk's v1.0 API that mean "too fast, try later"
RATE_LIMITED_STATUSES = frozenset({429, 503})
RATE_LIMITED_CODES = ("Throttling", "QpsLimit", "Forbidden.AccessDenied.QpsLimit")
TOKEN_INVALID_STATUS = 401
SENT_TOO_FAST = 130101  # a robot's webhook: over 20 messages a minute


class DingTalkError(Exception):
    """DingTalk refused a call: `status` the HTTP status, `code` its error code (a string in
    the v1.0 API, the errcode in a sessionWebhook's answer)."""

    def __init__(self, status: int, code: str, message: str = "") -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code

    @property
    def rate_limited(self) -> bool:
        return self.status in RATE_LIMITED_STATUSES or any(
            mark in self.code for mark in RATE_LIMITED_CODES
        )


@dataclass(frozen=True)
class StreamTicket:
    endpoint: str
    ticket: str


@dataclass(frozen=True)
class BatchOutcome:
    """What batchSend said about the users it was given."""

    invalid: frozenset[str]  # not in the org, or outside the app's visible range
    flow_controlled: frozenset[str]  # over DingTalk's per-user limit: later


class DingTalkAPI:
    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        robot_code: str,
        webhook_base_url: str,
        timeout_s: float = 10.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.robot_code = robot_code
        self.webhook_base_url = webhook_base_url.rstrip("/") + "/"
        self._secret = client_secret
        self._client = httpx.Client(timeout=timeout_s)
        self._token: str | None = None
        self._token_expires = 0.0
        self._lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def open_stream(self) -> StreamTicket:
        """A one-time ticket and the endpoint to open the stream at, for the robot's messages
        (and, acknowledged and dropped, the app's events)."""
        body = {
            "clientId": self.client_id,
            "clientSecret": self._secret,
            "subscriptions": [
                {"type": "CALLBACK", "topic": TOPIC_BOT_MESSAGE},
                {"type": "EVENT", "topic": "*"},
            ],
            "ua": "partybot",
            "localIp": "",
        }
        data = self._checked(
            self._client.post(f"{self.base_url}/v1.0/gateway/connections/open", json=body)
        )
        endpoint, ticket = data.get("endpoint"), data.get("ticket")
        if not isinstance(endpoint, str) or not isinstance(ticket, str):
            raise DingTalkError(200, "BadAnswer", "no endpoint or ticket")
        return StreamTicket(endpoint, ticket)

    def token(self, *, fresh: bool = False) -> str:
        with self._lock:
            if fresh or self._token is None or time.monotonic() >= self._token_expires:
                data = self._checked(
                    self._client.post(
                        f"{self.base_url}/v1.0/oauth2/accessToken",
                        json={"appKey": self.client_id, "appSecret": self._secret},
                    )
                )
                self._token = str(data["accessToken"])
                expires_in = float(data.get("expireIn", 7200))
                self._token_expires = time.monotonic() + max(60.0, expires_in - TOKEN_MARGIN_S)
            return self._token

    def download(self, download_code: str, limit: int) -> bytes:
        """A picture or file a member sent, by the downloadCode in its message; ValueError when
        it is over `limit` bytes (never read whole)."""
        found = self._authorized(
            "/v1.0/robot/messageFiles/download",
            {"robotCode": self.robot_code, "downloadCode": download_code},
        )
        url = found.get("downloadUrl")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise DingTalkError(200, "BadAnswer", "no downloadUrl")
        body = bytearray()
        with self._client.stream("GET", url) as response:
            if response.status_code != 200:
                raise DingTalkError(response.status_code, "DownloadFailed")
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > limit:
                    raise ValueError(f"a file over {limit} bytes")
        return bytes(body)

    def reply(self, webhook: str, message: dict[str, Any]) -> None:
        """A message into the conversation a member wrote in, through that message's
        sessionWebhook (valid about 90 minutes; no token needed)."""
        if not webhook.startswith(self.webhook_base_url):
            raise DingTalkError(0, "ForeignWebhook", "a sessionWebhook outside DingTalk")
        response = self._client.post(webhook, json=message)
        data = _json(response)
        errcode = data.get("errcode", 0)
        if response.status_code != 200 or errcode not in (0, "0"):
            status = 429 if errcode == SENT_TOO_FAST else response.status_code
            raise DingTalkError(status, str(errcode), str(data.get("errmsg", "")))

    def send_text(self, user_ids: list[str], text: str) -> BatchOutcome:
        """A text from the robot into each user's single chat with it (at most 20 users)."""
        return self.send_to_users(user_ids, "sampleText", {"content": text})

    def send_to_users(
        self, user_ids: list[str], msg_key: str, params: dict[str, str]
    ) -> BatchOutcome:
        """A robot message (sampleText, sampleMarkdown …) into each user's single chat."""
        found = self._authorized(
            "/v1.0/robot/oToMessages/batchSend",
            {
                "robotCode": self.robot_code,
                "userIds": user_ids,
                "msgKey": msg_key,
                "msgParam": json.dumps(params, ensure_ascii=False),
            },
        )
        return BatchOutcome(
            invalid=frozenset(found.get("invalidStaffIdList") or ()),
            flow_controlled=frozenset(found.get("flowControlledStaffIdList") or ()),
        )

    def _authorized(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """A POST with the access token; once more with a fresh token when it was refused."""
        for fresh in (False, True):
            headers = {"x-acs-dingtalk-access-token": self.token(fresh=fresh)}
            response = self._client.post(f"{self.base_url}{path}", json=body, headers=headers)
            if response.status_code != TOKEN_INVALID_STATUS or fresh:
                return self._checked(response)
        raise AssertionError("unreachable")

    @staticmethod
    def _checked(response: httpx.Response) -> dict[str, Any]:
        data = _json(response)
        if response.status_code != 200:
            raise DingTalkError(
                response.status_code, str(data.get("code", "")), str(data.get("message", ""))
            )
        return data


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
