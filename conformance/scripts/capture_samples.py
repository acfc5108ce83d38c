#!/usr/bin/env python3
# Captures the broker-made samples in conformance/recordings/ from the real RabbitMQ on
# 127.0.0.1:5672 (guest/guest), and writes the rabtap samples from the same real deliveries.
#
# Needs: a running broker with `rabbitmq-plugins enable rabbitmq_management rabbitmq_tracing`,
# and Python with pika. Run from anywhere: python3 conformance/scripts/capture_samples.py
#
# What it makes (conformance/recordings/README.md says what is planted in each):
#   recordings/management-get.json            POST /api/queues/%2F/<q>/get, truncate 50000
#   tests/fixtures/management-get-truncated.json   the same request with truncate 850
#   recordings/tracing.log                    the rabbitmq_tracing plugin's JSON log
#   recordings/rabtap/rabtap-<nanos>.json(.dat)  rabtap --saveto files, written here (rabtap is
#   recordings/rabtap-stream.json             not installable on this machine) from deliveries
#                                             consumed from the broker, in rabtap's shapes.

import base64
import datetime
import gzip
import json
import os
import pathlib
import shutil
import time
import urllib.error
import urllib.request

import pika

ROOT = pathlib.Path(__file__).resolve().parents[2]
RECORDINGS = ROOT / "conformance" / "recordings"
FIXTURES = ROOT / "conformance" / "tests" / "fixtures"
EXAMPLES = ROOT / "schemas" / "contracts"
API = "http://127.0.0.1:15672/api"
EXCHANGE = "coder.events"
QUEUE = "contracts.samples"
FIREHOSE_QUEUE = "contracts.samples.firehose"
TRACE = "contracts-samples"
TRACE_LOG = pathlib.Path("/var/tmp/rabbitmq-tracing") / f"{TRACE}.log"


def api(method, path, body=None):
    request = urllib.request.Request(f"{API}{path}", method=method)
    request.add_header("Authorization", "Basic " + base64.b64encode(b"guest:guest").decode())
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data) as response:
            return response.read()
    except urllib.error.HTTPError as e:
        if method == "DELETE" and e.code == 404:
            return b""
        raise


def example(contract, kind, name, new_id):
    document = json.loads((EXAMPLES / contract / "1.0" / "examples" / kind / name).read_text())
    event = document["event"] if kind == "invalid" else document
    # Fresh ids: the samples' events must not reuse, with other content, an id another
    # sample file already has (that would be a CT009 finding nobody planted).
    event["id"] = new_id
    return event


def compact(event):
    return json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()


def messages():
    """(routing key, properties, body) of every published message, in order."""
    ids = [f"{n:08d}-e29b-41d4-a716-446655440000" for n in range(101, 109)]
    events = [
        example("dashboard.analytics.metric.recorded", "valid", "01-documented-example.json", ids[0]),
        example("dashboard.analytics.report.generated", "valid", "01-scheduled-pdf.json", ids[1]),
        example("dashboard.analytics.insight.created", "valid", "01-anomaly-full.json", ids[2]),
        example("dashboard.created", "valid", "04-public-unicode-name.json", ids[3]),
        example("dashboard.updated", "valid", "01-renamed-and-published.json", ids[4]),
        example("dashboard.created", "valid", "02-minimal.json", ids[5]),
        example("dashboard.updated", "invalid", "16-revision-is-string.json", ids[6]),
        example("dashboard.analytics.metric.recorded", "valid", "02-without-dashboard.json", ids[7]),
    ]
    out = []
    for n, event in enumerate(events, start=1):
        routing_key = event["type"]
        body = compact(event)
        props = dict(
            content_type="application/json",
            delivery_mode=2,
            message_id=event["id"],
            timestamp=1769162400 + 60 * n,
            app_id=event["source"].get("service", "dashboard-analytics"),
            type=event["type"],
            headers={"x-tenant-id": event["tenantId"]},
        )
        if n == 2:
            # Pretty-printed: the largest body, the one `truncate: 850` cuts.
            body = json.dumps(event, indent=4, ensure_ascii=False).encode()
        if n == 3:
            props["message_id"] = "insight-3"  # planted: CT008 (warning)
        if n == 6:
            routing_key = "dashboard.updated"  # planted: CT005
        if n == 8:
            # planted: CT004, a gzip-compressed body (not UTF-8, so the API base64-encodes it)
            body = gzip.compress(body, mtime=0)
            props["content_encoding"] = "gzip"
        out.append((routing_key, props, body))
    return out


def go_time(seconds):
    """How Go's encoding/json writes a time.Time (rabtap's Timestamp fields)."""
    if seconds is None:
        return "0001-01-01T00:00:00Z"
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def go_value(value, key=None):
    """A header value as amqp091-go decodes it and encoding/json writes it."""
    if isinstance(value, bytes):
        return value.decode()
    if key == "timestamp" and isinstance(value, int):
        # The firehose sends properties.timestamp as an AMQP timestamp, which amqp091-go
        # decodes to a time.Time (pika to seconds).
        return go_time(value)
    if isinstance(value, dict):
        return {k: go_value(v, k) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [go_value(v) for v in value]
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def rabtap_message(method, props, body, received, raw):
    """rabtap's RabtapPersistentMessage, fields in its struct order; raw: body in the .dat."""
    message = {}
    if props.headers:
        message["Headers"] = go_value(props.headers)
    message.update(
        ContentType=props.content_type or "",
        ContentEncoding=props.content_encoding or "",
        DeliveryMode=props.delivery_mode or 0,
        Priority=props.priority or 0,
        CorrelationID=props.correlation_id or "",
        ReplyTo=props.reply_to or "",
        Expiration=props.expiration or "",
        MessageID=props.message_id or "",
        Timestamp=go_time(props.timestamp),
        Type=props.type or "",
        UserID=props.user_id or "",
        AppID=props.app_id or "",
        DeliveryTag=method.delivery_tag,
        Redelivered=method.redelivered,
        Exchange=method.exchange,
        RoutingKey=method.routing_key,
        XRabtapReceivedTimestamp=received,
        Body="" if raw else base64.b64encode(body).decode(),
    )
    # rabtap writes json.MarshalIndent(m, "", "  ") and a newline.
    return json.dumps(message, indent=2, ensure_ascii=False) + "\n"


def main():
    connection = pika.BlockingConnection(
        pika.ConnectionParameters("127.0.0.1", 5672, credentials=pika.PlainCredentials("guest", "guest"))
    )
    channel = connection.channel()
    channel.exchange_declare(EXCHANGE, "topic", durable=True)
    for queue, exchange, key in [(QUEUE, EXCHANGE, "#"), (FIREHOSE_QUEUE, "amq.rabbitmq.trace", "publish.coder.events")]:
        channel.queue_declare(queue, durable=True)
        channel.queue_bind(queue, exchange, key)
        channel.queue_purge(queue)

    api("DELETE", f"/traces/%2F/{TRACE}")
    if TRACE_LOG.exists():
        TRACE_LOG.unlink()
    api("PUT", f"/traces/%2F/{TRACE}", {"format": "json", "pattern": "publish.coder.events"})
    time.sleep(1)

    channel.confirm_delivery()
    published = messages()
    for routing_key, props, body in published:
        channel.basic_publish(EXCHANGE, routing_key, body, pika.BasicProperties(**props))

    for _ in range(50):
        if TRACE_LOG.exists() and len(TRACE_LOG.read_bytes().splitlines()) >= len(published):
            break
        time.sleep(0.2)
    shutil.copyfile(TRACE_LOG, RECORDINGS / "tracing.log")
    api("DELETE", f"/traces/%2F/{TRACE}")

    get = {"count": 10, "ackmode": "ack_requeue_true", "encoding": "auto"}
    (RECORDINGS / "management-get.json").write_bytes(
        api("POST", f"/queues/%2F/{QUEUE}/get", {**get, "truncate": 50000}) + b"\n"
    )
    (FIXTURES / "management-get-truncated.json").write_bytes(
        api("POST", f"/queues/%2F/{QUEUE}/get", {**get, "truncate": 850}) + b"\n"
    )

    deliveries = [channel.basic_get(QUEUE, auto_ack=True) for _ in published]
    firehose = [channel.basic_get(FIREHOSE_QUEUE, auto_ack=True) for _ in published]
    assert all(d[0] is not None for d in deliveries + firehose), "a message is missing"

    rabtap_dir = RECORDINGS / "rabtap"
    shutil.rmtree(rabtap_dir, ignore_errors=True)
    rabtap_dir.mkdir()
    base_nanos = 1769166000_000000000
    received = "2026-01-23T11:00:00.{:03d}+01:00"
    # --saveto --format json: message 3, body base64 in the .json.
    method, props, body = deliveries[2]
    name = f"rabtap-{base_nanos + 3}"
    (rabtap_dir / f"{name}.json").write_text(rabtap_message(method, props, body, received.format(3), raw=False))
    # --saveto in raw mode: message 6, body in the sibling .dat.
    method, props, body = deliveries[5]
    name = f"rabtap-{base_nanos + 6}"
    (rabtap_dir / f"{name}.json").write_text(rabtap_message(method, props, body, received.format(6), raw=True))
    (rabtap_dir / f"{name}.dat").write_bytes(body)
    # Tapped from the firehose exchange: message 4 as amq.rabbitmq.trace delivered it.
    method, props, body = firehose[3]
    name = f"rabtap-{base_nanos + 4}"
    (rabtap_dir / f"{name}.json").write_text(rabtap_message(method, props, body, received.format(4), raw=False))
    # --json without --saveto: messages 1, 5 and 7 as one stream of pretty objects.
    stream = "".join(
        rabtap_message(*deliveries[i], received.format(i + 1), raw=False) for i in (0, 4, 6)
    )
    (RECORDINGS / "rabtap-stream.json").write_text(stream)

    for queue in (QUEUE, FIREHOSE_QUEUE):
        channel.queue_delete(queue)
    connection.close()


if __name__ == "__main__":
    main()
