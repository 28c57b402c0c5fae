"""Publish one event into eldercare from another system, the way a hospital would.

    pip install kafka-python==3.0.12
    export KAFKA_SASL_USERNAME=outside KAFKA_SASL_PASSWORD=... KAFKA_SSL_CAFILE=eldercare-ca.pem
    python publish_event.py --bootstrap 127.0.0.1:9092 --district demo-district \
        --national-id 110105194403070021 --reference ADM-2026-000123

The broker accepts only clients that sign in (SASL_SSL, SCRAM-SHA-512) with the credentials the
district gave you, over TLS checked against the district's CA; you may write only to
`eldercare.inbound`. The event is a CloudEvents 1.0 envelope in structured JSON mode.
`reference` is your own id of the report: sending the same reference again is safe (it is one
incident, never two).
"""

import argparse
import json
import os
import uuid
from datetime import UTC, datetime

from kafka import KafkaProducer

INBOUND_TOPIC = "eldercare.inbound"


def admission(district: str, national_id: str, reference: str, hospital: str) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:hospital:example-general",
        "type": "hospital.admitted",
        "time": datetime.now(UTC).isoformat(),
        "subject": reference,
        "datacontenttype": "application/json",
        "district": district,
        "schemaversion": 1,
        "data": {
            "national_id": national_id,
            "reference": reference,
            "occurred_at": datetime.now(UTC).isoformat(),
            "hospital": hospital,
            "ward": "cardiology",
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:9092")
    parser.add_argument("--district", default="demo-district")
    parser.add_argument("--national-id", required=True)
    parser.add_argument("--reference", required=True)
    parser.add_argument("--hospital", default="Example General Hospital")
    parser.add_argument("--username", default=os.environ.get("KAFKA_SASL_USERNAME", "outside"))
    parser.add_argument("--ca-file", default=os.environ.get("KAFKA_SSL_CAFILE"))
    args = parser.parse_args()
    event = admission(args.district, args.national_id, args.reference, args.hospital)
    producer = KafkaProducer(
        bootstrap_servers=args.bootstrap,
        security_protocol=os.environ.get("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"),
        sasl_mechanism="SCRAM-SHA-512",
        sasl_plain_username=args.username,
        sasl_plain_password=os.environ.get("KAFKA_SASL_PASSWORD"),  # never on the command line
        ssl_cafile=args.ca_file,
        acks="all",
    )
    sent = producer.send(
        INBOUND_TOPIC, key=args.reference.encode(), value=json.dumps(event).encode()
    ).get(timeout=30)  # wait for the broker's confirmation
    producer.close()
    print(f"sent {event['id']} to {sent.topic} partition {sent.partition} offset {sent.offset}")


if __name__ == "__main__":
    main()
