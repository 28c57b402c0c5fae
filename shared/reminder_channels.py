"""Where reminders go: adapters behind one interface, each configured by the environment only
(a URL, and its secret from a file where Docker secrets are used), with no vendor SDK.

- `Webhook`: any HTTPS receiver; the JSON body is signed with HMAC-SHA256 over
  "<timestamp>.<body>", sent as `X-Eldercare-Timestamp` and `X-Eldercare-Signature:
  sha256=<hex>`, so that a receiver can check who sent it and refuse a replay.
- `WeComRobot`: a WeCom group robot (企业微信群机器人) webhook: a text message that mentions the
  recipients by their user ids and mobile numbers; WeCom answers errcode 0 when it took it.
- `SmsGateway`: an SMS gateway's HTTP API as the common Chinese gateways take it: the numbers,
  the approved signature (签名) and template (模板) with its parameters, and an API key;
  the gateway answers Code "OK". Staff without a number in the reminder rules are not texted.
"""

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import requests

from shared.reminders import Delivery, Reminder
from shared.secret_files import secret

TIMEOUT_SECONDS = 10.0


class Channel(Protocol):
    @property
    def name(self) -> str: ...

    def send(self, reminder: Reminder, phones: Mapping[str, str], now: datetime) -> Delivery | None:
        """Deliver the reminder; None if this channel has no one to reach for it."""


@dataclass(frozen=True)
class Webhook:
    url: str
    key: str
    name: str = "webhook"

    def send(self, reminder: Reminder, phones: Mapping[str, str], now: datetime) -> Delivery:
        body = json.dumps(
            {
                "reminder_id": reminder.reminder_id,
                "cause": reminder.cause,
                "urgent": reminder.urgent,
                "recipients": list(reminder.recipients),
                "elder_id": reminder.elder_id,
                "community": reminder.community,
                "subject": reminder.subject,
                "text": reminder.text,
            },
            ensure_ascii=False,
        ).encode()
        stamp = str(int(now.timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-Eldercare-Timestamp": stamp,
            "X-Eldercare-Signature": f"sha256={signature(self.key, stamp, body)}",
        }
        return _posted(self.name, now, self.url, headers, body, lambda answer: True)


@dataclass(frozen=True)
class WeComRobot:
    url: str
    name: str = "wecom"

    def send(self, reminder: Reminder, phones: Mapping[str, str], now: datetime) -> Delivery:
        message = {
            "msgtype": "text",
            "text": {
                "content": reminder.text,
                "mentioned_list": list(reminder.recipients),
                "mentioned_mobile_list": _numbers(reminder, phones),
            },
        }
        body = json.dumps(message, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json; charset=utf-8"}
        return _posted(self.name, now, self.url, headers, body, _answered("errcode", 0))


@dataclass(frozen=True)
class SmsGateway:
    url: str
    api_key: str
    sign_name: str
    template: str
    name: str = "sms"

    def send(self, reminder: Reminder, phones: Mapping[str, str], now: datetime) -> Delivery | None:
        numbers = _numbers(reminder, phones)
        if not numbers:
            return None
        message = {
            "PhoneNumbers": ",".join(numbers),
            "SignName": self.sign_name,
            "TemplateCode": self.template,
            "TemplateParam": json.dumps({"content": reminder.text}, ensure_ascii=False),
            "OutId": reminder.reminder_id,  # the gateway's receipts name the reminder
        }
        body = json.dumps(message, ensure_ascii=False).encode()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Authorization": f"Bearer {self.api_key}",
        }
        return _posted(self.name, now, self.url, headers, body, _answered("Code", "OK"))


def signature(key: str, stamp: str, body: bytes) -> str:
    return hmac.new(key.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def channels_from_env(env: Mapping[str, str]) -> list[Channel]:
    """The channels the deployment configured; none means reminders are kept, not sent."""
    found: list[Channel] = []
    if env.get("REMINDER_WEBHOOK_URL"):
        key = secret(env, "REMINDER_WEBHOOK_SECRET")
        found.append(Webhook(env["REMINDER_WEBHOOK_URL"], key))
    wecom = secret(env, "REMINDER_WECOM_URL")  # its key is in the URL: a secret
    if wecom:
        found.append(WeComRobot(wecom))
    if env.get("REMINDER_SMS_URL"):
        found.append(
            SmsGateway(
                env["REMINDER_SMS_URL"],
                secret(env, "REMINDER_SMS_API_KEY"),
                env.get("REMINDER_SMS_SIGN_NAME", ""),
                env.get("REMINDER_SMS_TEMPLATE", ""),
            )
        )
    return found


def _numbers(reminder: Reminder, phones: Mapping[str, str]) -> list[str]:
    return [phones[name] for name in reminder.recipients if phones.get(name)]


def _answered(field: str, value: object) -> Callable[[requests.Response], bool]:
    def accepted(answer: requests.Response) -> bool:
        try:
            return answer.json().get(field) == value
        except ValueError:
            return False

    return accepted


def _posted(
    channel: str,
    now: datetime,
    url: str,
    headers: dict[str, str],
    body: bytes,
    accepted: Callable[[requests.Response], bool],
) -> Delivery:
    try:
        answer = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        return Delivery(channel, now, False, f"not delivered: {type(error).__name__}: {error}")
    if not answer.ok:
        return Delivery(channel, now, False, f"HTTP {answer.status_code}: {answer.text[:200]}")
    if not accepted(answer):
        return Delivery(channel, now, False, f"refused: {answer.text[:200]}")
    return Delivery(channel, now, True, f"HTTP {answer.status_code}")
