#!/usr/bin/env python3
# Test traffic for the live broker tests (conformance/tests/broker.rs) and throughput.sh,
# published with pika, a client that shares no code with `contracts`, so that a recording is
# compared with what an independent client sent and not with the project's own idea of it.
#
#   publish.py mixed --exchange X --schemas DIR --manifest FILE [--dry-run]
#       every contract's valid examples, its invalid ones, non-JSON and multi-line bodies,
#       unknown types, transport mistakes, and headers of every field type pika sends; the
#       manifest lists each message as a recording line should show it, with the rule IDs
#       planted in it ("expect").
#   publish.py small --exchange X --count N [--rate R] [--no-confirm] [--tag T]
#       N small valid events, body id and header "seq" numbering them from 0. With confirms
#       (the default) a lost connection is reopened and every unconfirmed message published
#       again, so each one reaches the exchange at least once.
#   publish.py declare --exchange X [--queue Q]     a topic exchange, and a durable queue on '#'
#   publish.py cleanup [--exchange X]... [--queue Q]...
#   publish.py depth --queue Q                       prints the ready messages in Q
#
# Every command takes --url (default amqp://guest:guest@127.0.0.1:5672/%2f).

import argparse
import base64
import calendar
import json
import struct
import sys
import time
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pika
import pika.exceptions
from pika.compat import long as pika_long

DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/%2f"
TAG = "$amqp"


# ---- field types pika 1.x does not send, added by the AMQP 0-9-1 spec (RabbitMQ's errata) ----
# pika sends no float, and only 'I' and 'l' integers. These wrappers give a value the wire type
# the spec gives it, so that every type RabbitMQ carries goes through the broker.


class Typed:
    """(field type octet, struct format, the recording's tag)"""

    AMQP = None


class I8(int, Typed):
    AMQP = ("b", ">b", "i8")


class U8(int, Typed):
    AMQP = ("B", ">B", "u8")


class I16(int, Typed):
    AMQP = ("s", ">h", "i16")


class U16(int, Typed):
    AMQP = ("u", ">H", "u16")


class U32(int, Typed):
    AMQP = ("i", ">I", "u32")


class F32(float, Typed):
    AMQP = ("f", ">f", "f32")


_pika_encode_value = pika.data.encode_value


def _encode_value(pieces, value):
    if isinstance(value, Typed):
        octet, layout, _ = value.AMQP
        pieces.append(octet.encode() + struct.pack(layout, value))
        return 1 + struct.calcsize(layout)
    if isinstance(value, float):
        pieces.append(b"d" + struct.pack(">d", value))
        return 9
    return _pika_encode_value(pieces, value)


# encode_table and encode_value look encode_value up in their module at each call.
pika.data.encode_value = _encode_value


def connect(url, name):
    params = pika.URLParameters(url)
    params.client_properties = {"connection_name": name}
    return pika.BlockingConnection(params)


# ---- what a recording line should show for what pika sends --------------------------------
# pika's encoding (pika/data.py encode_value): str 'S', bytes 'x', bool 't', pika long 'l',
# int 'I' (or 'l' outside 32 bits), Decimal 'D' (scale, signed 32-bit value), datetime 'T'
# (UTC seconds), dict 'F', list 'A', None 'V'; float 'd' and the Typed wrappers above are
# this script's. The JSON form is RECORDING.md's.


def header_json(value):
    if isinstance(value, Typed):
        octet, layout, tag = value.AMQP
        # What the broker carries: an f32's exact value, widened to a double.
        (wire,) = struct.unpack(layout, struct.pack(layout, value))
        return {TAG: tag, "value": wire}
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return {TAG: "bytes", "base64": base64.b64encode(value).decode()}
    if isinstance(value, bool):
        return value
    if isinstance(value, pika_long):
        return int(value)
    if isinstance(value, int):
        if -(2**31) <= value < 2**31:
            return {TAG: "i32", "value": value}
        return value
    if isinstance(value, float):
        return {TAG: "f64", "value": value}
    if isinstance(value, Decimal):
        normal = value.normalize()
        exponent = normal.as_tuple().exponent
        if exponent < 0:
            scale, raw = -exponent, int(normal * (Decimal(10) ** -exponent))
        else:
            scale, raw = 0, int(normal)
        # The wire holds 32 bits; the recording reads them unsigned, as AMQP defines them.
        return {TAG: "decimal", "scale": scale, "value": raw & 0xFFFFFFFF}
    if isinstance(value, datetime):
        return {TAG: "timestamp", "value": calendar.timegm(value.utctimetuple())}
    if isinstance(value, dict):
        table = {key: header_json(item) for key, item in value.items()}
        return {TAG: "table", "value": table} if TAG in table else table
    if isinstance(value, list):
        return [header_json(item) for item in value]
    if value is None:
        return None
    raise TypeError(f"no AMQP field type for {value!r}")


PROPERTY_NAMES = [
    ("content_type", "contentType"),
    ("content_encoding", "contentEncoding"),
    ("message_id", "messageId"),
    ("timestamp", "timestamp"),
    ("app_id", "appId"),
    ("type", "type"),
    ("user_id", "userId"),
    ("correlation_id", "correlationId"),
    ("reply_to", "replyTo"),
    ("expiration", "expiration"),
    ("delivery_mode", "deliveryMode"),
    ("priority", "priority"),
    ("cluster_id", "clusterId"),
]


def properties_json(props):
    out = {}
    for attribute, name in PROPERTY_NAMES:
        value = getattr(props, attribute)
        if value is not None:
            out[name] = value
    if props.headers is not None:
        out["headers"] = header_json(props.headers)
    return out


# ---- the mixed stream ------------------------------------------------------------------------


def every_header_type():
    """One header of each type pika can send, nested ones included."""
    return {
        "str": "text ü 📈",
        "empty-str": "",
        "bytes": b"\x00\xffbinary",
        "int": 42,
        "negative-int": -7,
        "int-over-32-bits": 2**40,
        "long": pika_long(5),
        "float": 3.25,
        "negative-float": -0.1,
        "i8": I8(-128),
        "u8": U8(255),
        "i16": I16(-32768),
        "u16": U16(65535),
        "u32": U32(4294967295),
        "f32": F32(0.1),
        "true": True,
        "false": False,
        "decimal": Decimal("123.45"),
        "decimal-whole": Decimal("100"),
        "decimal-negative": Decimal("-1.5"),
        "datetime": datetime(2026, 1, 23, 10, 0, 0, tzinfo=timezone.utc),
        "nested": {"a": 1, "b": {"c": "d", "when": datetime(2000, 1, 1)}, "l": [1, "x"]},
        "list": [1, "two", 3.0, True, None, b"\x01", [2, [3]], {"k": "v"}],
        "none": None,
        # A table that looks like a tagged value must come back as a table.
        "looks-tagged": {TAG: "bytes", "base64": "AA=="},
    }


class Mixed:
    def __init__(self):
        self.messages = []
        self.count = 0

    def next_id(self, bad=False):
        self.count += 1
        # Unique per message: the examples share ids, which would plant CT009 everywhere.
        if bad:
            return f"{self.count:08x}00004000800000000000000a"
        return f"{self.count:08x}-0000-4000-8000-00000000000a"

    def add(self, routing_key, body, expect, event_id=None, headers=None, **props):
        index = len(self.messages)
        all_headers = {"x-tenant-id": "123e4567-e89b-12d3-a456-426614174000", "x-index": index}
        if index % 3 == 0:
            all_headers.update(every_header_type())
        all_headers.update(headers or {})
        defaults = dict(
            content_type="application/json",
            delivery_mode=2,
            timestamp=1769162400 + index,
            app_id="publish.py",
            type=routing_key,
        )
        if isinstance(event_id, str):
            defaults["message_id"] = event_id
        defaults.update(props)
        properties = pika.BasicProperties(headers=all_headers, **defaults)
        self.messages.append((routing_key, body, properties, sorted(expect)))

    def event(self, event, routing_key, expect, bad_id=False, **props):
        event = dict(event)
        # A fresh id, so that no two events share one; an event without an id (an example of
        # a missing one) stays without.
        if "id" in event:
            event["id"] = self.next_id(bad_id)
        body = json.dumps(event, separators=(",", ":"), ensure_ascii=False).encode()
        self.add(routing_key, body, expect, event_id=event.get("id"), **props)
        return event


def build_mixed(schemas):
    mixed = Mixed()
    catalog = json.loads((Path(schemas) / "catalog.json").read_bytes())
    first_valid = None
    # Every contract of the catalog, every version: nothing here names one.
    for contract in catalog["contracts"]:
        event_type = contract["routingKey"]
        examples = Path(schemas) / contract["examples"]
        for path in sorted((examples / "valid").glob("*.json")):
            event = json.loads(path.read_bytes())
            first_valid = first_valid or event
            mixed.event(event, event_type, [])
        # A pretty-printed file as it is: a multi-line body, recorded as bodyBase64.
        pretty = sorted((examples / "valid").glob("*.json"))[0].read_bytes()
        pretty_event = json.loads(pretty)
        mixed.add(event_type, pretty, [], event_id=pretty_event["id"])
        for path in sorted((examples / "invalid").glob("*.json")):
            example = json.loads(path.read_bytes())
            where = example["expect"]["instancePath"]
            # An event whose type is wrong has no contract: unknown type, and then its
            # routing key (the contract's) is not its type either. A wrong version names no
            # version of the type (lint rule LINT017 holds the examples to it).
            expect = {"/type": ["CT002", "CT005"], "/version": ["CT003"]}.get(where, ["CT001"])
            mixed.event(example["event"], event_type, expect, bad_id=(where == "/id"))

    sample = dict(first_valid)
    # Transport mistakes on valid events.
    mixed.event(dict(sample, type="no.such.event"), "no.such.event", ["CT002"])
    mixed.event(sample, "routed.elsewhere", ["CT005"])
    mixed.event(sample, sample["type"], ["CT007"], content_type="text/plain")
    wrong_message_id = mixed.event(sample, sample["type"], [])
    mixed.messages.pop()
    mixed.add(
        sample["type"],
        json.dumps(wrong_message_id).encode(),
        ["CT008"],
        event_id="99999999-0000-4000-8000-000000000000",
    )
    # One id, two contents: the second is CT009; a redelivery-like repeat is not.
    original = mixed.event(sample, sample["type"], [])
    same = json.dumps(original, separators=(",", ":"), ensure_ascii=False).encode()
    mixed.add(sample["type"], same, [], event_id=original["id"])
    other = dict(original, tenantId="223e4567-e89b-12d3-a456-426614174000")
    mixed.add(sample["type"], json.dumps(other).encode(), ["CT009"], event_id=original["id"])
    # Bodies that are not JSON, or not an event.
    mixed.add(sample["type"], b"hello, this is not JSON", ["CT004"])
    mixed.add(
        sample["type"],
        b"\xff\xfe\x00binary\x01",
        ["CT004", "CT007"],
        content_type="application/octet-stream",
    )
    mixed.add(sample["type"], b"", ["CT004"])
    mixed.add(sample["type"], b"[1,2,3]", ["CT001"])
    # JSON bodies whose bytes cannot stand in a line as they are: base64, then byte-exact.
    for body in [
        json.dumps(dict(sample, id=mixed.next_id())).encode() + b"\r\n",
        b" " + json.dumps(dict(sample, id=mixed.next_id())).encode(),
        json.dumps(dict(sample, id=mixed.next_id()), indent=2).encode(),
    ]:
        mixed.add(sample["type"], body, [], event_id=json.loads(body)["id"])
    # Every other property, set.
    mixed.event(
        sample,
        sample["type"],
        [],
        content_encoding="identity",
        user_id="guest",
        correlation_id="corr-1",
        reply_to="replies",
        expiration="600000",
        priority=7,
        cluster_id="cluster-a",
    )
    mixed.event(sample, sample["type"], [], headers={}, delivery_mode=1)
    return mixed.messages


def publish_mixed(args):
    messages = build_mixed(args.schemas)
    if not args.dry_run:
        connection = connect(args.url, "publish.py mixed")
        channel = connection.channel()
        channel.confirm_delivery()
    manifest = []
    for routing_key, body, properties, expect in messages:
        if not args.dry_run:
            channel.basic_publish(args.exchange, routing_key, body, properties, mandatory=True)
        manifest.append(
            {
                "exchange": args.exchange,
                "routingKey": routing_key,
                "properties": properties_json(properties),
                "bodyBase64": base64.b64encode(body).decode(),
                "expect": expect,
            }
        )
    if not args.dry_run:
        connection.close()
    Path(args.manifest).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    print(f"{'would publish' if args.dry_run else 'published'} {len(manifest)} messages")


# ---- the small numbered stream -----------------------------------------------------------------


def small_template(schemas):
    """The first valid example of the catalog's first contract: nothing here names a contract."""
    catalog = json.loads((Path(schemas) / "catalog.json").read_bytes())
    examples = Path(schemas) / catalog["contracts"][0]["examples"] / "valid"
    return json.loads(sorted(examples.glob("*.json"))[0].read_bytes())


def small_event(template, seq, tag):
    return dict(template, id=f"{seq:08x}-{tag:04x}-4000-8000-000000000000")


def publish_small(args):
    template = small_template(args.schemas)
    start = time.monotonic()
    seq = 0
    reconnects = 0
    while seq < args.count:
        try:
            connection = connect(args.url, "publish.py small")
            channel = connection.channel()
            if not args.no_confirm:
                channel.confirm_delivery()
            while seq < args.count:
                if args.rate:
                    delay = start + seq / args.rate - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                event = small_event(template, seq, args.tag)
                properties = pika.BasicProperties(
                    content_type="application/json",
                    message_id=event["id"],
                    delivery_mode=2,
                    headers={"seq": seq},
                )
                body = json.dumps(event, separators=(",", ":")).encode()
                # With confirms this returns once the broker has the message.
                channel.basic_publish(args.exchange, event["type"], body, properties)
                seq += 1
            connection.close()
        except (pika.exceptions.AMQPError, OSError) as e:
            if args.no_confirm:
                raise
            # Unconfirmed: publish it again on a new connection (it may now come twice).
            reconnects += 1
            print(f"publish.py: connection lost at seq {seq} ({e!r}); reconnecting", file=sys.stderr)
            if time.monotonic() - start > 60:
                raise
            time.sleep(0.2)
    seconds = time.monotonic() - start
    print(
        json.dumps(
            {
                "published": args.count,
                "seconds": round(seconds, 3),
                "rate": round(args.count / seconds),
                "reconnects": reconnects,
            }
        )
    )


# ---- topology ----------------------------------------------------------------------------------


def declare(args):
    connection = connect(args.url, "publish.py declare")
    channel = connection.channel()
    channel.exchange_declare(args.exchange, "topic", durable=True)
    if args.queue:
        channel.queue_declare(args.queue, durable=True)
        channel.queue_bind(args.queue, args.exchange, "#")
    connection.close()


def cleanup(args):
    connection = connect(args.url, "publish.py cleanup")
    channel = connection.channel()
    for queue in args.queue or []:
        channel.queue_delete(queue)
    for exchange in args.exchange or []:
        channel.exchange_delete(exchange)
    connection.close()


def depth(args):
    connection = connect(args.url, "publish.py depth")
    channel = connection.channel()
    print(channel.queue_declare(args.queue, passive=True).method.message_count)
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    mixed = commands.add_parser("mixed")
    mixed.add_argument("--exchange", required=True)
    mixed.add_argument("--schemas", required=True)
    mixed.add_argument("--manifest", required=True)
    mixed.add_argument("--dry-run", action="store_true", help="only write the manifest")
    mixed.set_defaults(run=publish_mixed)
    small = commands.add_parser("small")
    small.add_argument("--exchange", required=True)
    small.add_argument("--count", type=int, required=True)
    small.add_argument("--rate", type=float, help="messages a second at most")
    small.add_argument("--no-confirm", action="store_true", help="fastest; no reconnection")
    small.add_argument("--tag", type=int, default=0, help="tells streams' ids apart")
    small.add_argument("--schemas", required=True, help="the events are its first contract's")
    small.set_defaults(run=publish_small)
    declare_parser = commands.add_parser("declare")
    declare_parser.add_argument("--exchange", required=True)
    declare_parser.add_argument("--queue")
    declare_parser.set_defaults(run=declare)
    cleanup_parser = commands.add_parser("cleanup")
    cleanup_parser.add_argument("--exchange", action="append")
    cleanup_parser.add_argument("--queue", action="append")
    cleanup_parser.set_defaults(run=cleanup)
    depth_parser = commands.add_parser("depth")
    depth_parser.add_argument("--queue", required=True)
    depth_parser.set_defaults(run=depth)
    for sub in (mixed, small, declare_parser, cleanup_parser, depth_parser):
        sub.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
