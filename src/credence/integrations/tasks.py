"""Background jobs of integrations: webhook deliveries, retried with exponential backoff."""

from __future__ import annotations

from celery import shared_task


@shared_task
def deliver_webhook(
    endpoint_id: int, event_id: str, event_type: str, body: str, is_test: bool, attempt: int
) -> str:
    from .models import DeliveryStatus, WebhookEndpoint
    from .services import attempt_delivery, retry_delay

    endpoint = WebhookEndpoint.objects.select_related("organisation").filter(pk=endpoint_id).first()
    if endpoint is None or not (endpoint.active or is_test):
        return "skipped"
    delivery = attempt_delivery(
        endpoint=endpoint,
        event_id=event_id,
        event_type=event_type,
        body=body,
        is_test=is_test,
        attempt=attempt,
    )
    if delivery.status == DeliveryStatus.RETRYING:
        deliver_webhook.apply_async(
            (endpoint_id, event_id, event_type, body, is_test, attempt + 1),
            countdown=retry_delay(attempt).total_seconds(),
        )
    return str(delivery.status)
