"""Notifications: alerts pushed to where staff are (email, Telegram, a webhook, Zalo OA, the console).

    store.alerts.raise_alert ─▶ store.notify.enqueue_for_alert (outbox rows, same transaction)
    orchestration.notify.deliver (scheduler job "notify", every tick)
        ─▶ due outbox rows, grouped per subscription (a digest is one message)
        ─▶ notify.message.render (Vietnamese, short: title, why, places, items and sources, link)
        ─▶ claim ('sending', committed; a dead process's claims are released when serve starts)
        ─▶ notify.registry.get(channel).send(address, message, settings, client)
           (message.key is the same on every try: e-mail Message-ID, webhook X-LangNghe-Delivery)
        ─▶ sent, or retried with back-off ([notify] max_attempts, retry_base_seconds, retry_max_seconds); every try logged

A channel is one module in notify/channels/ registered by name (like collector kinds). Its base address
is a setting; secrets come from vocab.secrets (environment or the secrets directory), never the TOML.
"""
