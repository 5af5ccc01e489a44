"""email: SMTP with STARTTLS, SSL or (local test servers only) plain, with login
([notify.email] host, port, security, sender, username_env, password_env)."""

from __future__ import annotations

import smtplib
import ssl
from email.header import Header
from email.utils import make_msgid
from email.mime.text import MIMEText
from typing import Any, Mapping

import httpx

from notify.base import Message, NoAnswer, SendError
from notify.registry import register
from vocab.secrets import secret


def message_id(key: str, sender: str) -> str:
    """The delivery key as Message-ID: a repeat of the same message (a crash right after the server
    accepted it) carries the same id, which mail systems and readers use to spot duplicates."""
    domain = sender.rsplit("@", 1)[-1].strip("> ") or "lang-nghe"
    return f"<{key}@{domain}>"


@register
class Email:
    name = "email"
    label = "Thư điện tử (SMTP)"

    def send(self, address: str, message: Message, settings: Mapping[str, Any], client: httpx.Client) -> str:
        host, port = str(settings.get("host", "")), int(settings.get("port", 587))
        if not host:
            raise SendError("chưa cấu hình máy chủ thư ([notify.email] host)")
        security = str(settings.get("security", "starttls"))
        # MIMEText + Header: the newer EmailMessage folding drops the space between two encoded words
        # ("tràn vào" arrives as "trànvào" in mail readers), which Vietnamese subjects hit all the time
        msg = MIMEText(message.text, "plain", "utf-8")
        msg["Subject"] = Header(message.subject, "utf-8")
        msg["From"] = str(settings.get("sender", "lang-nghe@localhost"))
        msg["To"] = address
        msg["Message-ID"] = message_id(message.key, msg["From"]) if message.key else make_msgid(domain="lang-nghe")
        user = secret(str(settings.get("username_env", "LANGNGHE_SMTP_USER")))
        password = secret(str(settings.get("password_env", "LANGNGHE_SMTP_PASSWORD")))
        timeout = float(settings.get("timeout_seconds", 20))
        try:
            if security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(host, port, timeout=timeout)
            with smtp:
                if security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if user and password:
                    smtp.login(user, password)
                refused = smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise (NoAnswer if isinstance(exc, TimeoutError) else SendError)(
                f"gửi thư không được: {type(exc).__name__}: {str(exc)[:120]}") from None
        if refused:
            raise SendError(f"máy chủ thư từ chối người nhận {address}")
        return "accepted"
