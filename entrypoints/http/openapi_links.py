"""OpenAPI links: from each operation that creates something to every operation that takes its id.

A producer names the path parameter its new id fills (`Operation.creates`, e.g. "project_id"); every operation
taking that name in its path, its query or its JSON body gets a link from the producer's success response, so a
client (or a stateful fuzzer) learns where the id goes: POST /projects 201 -> GET /projects/{project_id}.
"""

from typing import Any

import attrs

from entrypoints.http.operation import Operation


def _operation_id(operation: Operation, document: dict[str, Any]) -> str:
    return document["operationId"]


def _link(producer: Operation, consumer: Operation) -> dict[str, Any] | None:
    if consumer.after:  # the new resource is not ready for it (a project has no song when it is made)
        return None
    name, value = producer.creates, f"$response.body#{producer.created_id}"
    link: dict[str, Any] = {}
    if name in consumer.path_parameters:
        link["parameters"] = {f"path.{name}": value}
    elif name in {q.name for q in consumer.query}:
        link["parameters"] = {f"query.{name}": value}
    elif consumer.body is not None and name in {f.name for f in attrs.fields(consumer.body)} - set(consumer.body_exclude):
        link["requestBody"] = {name: value}
    return link or None


def add_links(operations: list[Operation], documents: dict[int, dict[str, Any]]) -> None:
    """Add the links to the producers' success responses in `documents` (operation document by `id(operation)`)."""
    for producer in operations:
        if not producer.creates:
            continue
        links = {}
        for consumer in operations:
            link = _link(producer, consumer)
            if link is not None:
                target = _operation_id(consumer, documents[id(consumer)])
                links[target] = {"operationId": target, **link,
                                 "description": f"The new {producer.creates} in {consumer.method} {consumer.path}"}
        if links:
            documents[id(producer)]["responses"][str(producer.status)]["links"] = links
