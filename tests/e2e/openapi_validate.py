#!/usr/bin/env python3
"""Checks real answers of the service against http/openapi.json.

usage:
  openapi_validate.py OPENAPI_JSON ANSWERS_JSON [--ignore-header NAME]...
  openapi_validate.py OPENAPI_JSON --routes ROUTES_TXT

ANSWERS_JSON is a list of records

  {"method": "GET", "route": "/movies/{id}", "status": 404,
   "content_type": "application/json", "body": "<raw body text>",
   "headers": {"x-request-id": "..."}}

where `route` is the path template of the document (`other` for a path that
is no route, as the service's metrics label it). For each record:

- the operation: the path template and the method are in the document. A
  HEAD record is checked against the path's GET operation (every GET route
  answers HEAD) and its body must be empty. A record that names no
  operation is checked against the document's `x-unmatched-requests`
  responses: 404 for the route `other` only, 405 for a documented path with
  an undocumented method only, and then `Allow` must list exactly the
  path's methods (HEAD with GET);
- the status is documented for the operation (or a `4XX`-style range or
  `default` response applies);
- the content type is one documented for that status (media type ranges and
  parameters: every parameter of the documented key must be in the answer);
- a JSON body parses and validates against the response schema (JSON
  Schema 2020-12, `#/components/...` references resolved over the whole
  document); a text body validates as a string;
- every documented response header marked `required` is present (header
  names are case-insensitive), and every documented header present
  validates against its schema (integers parsed from the text).
  `--ignore-header NAME` exempts a header from the presence check (for a
  header the service does not send yet).

Prints one line per failure and exits 1 on any, 0 otherwise; zero records
are a failure. With --routes, the document's (METHOD, PATH) pairs must be
exactly the `METHOD PATH` lines of ROUTES_TXT (blank lines and lines
starting with # are skipped), both ways.

Only the standard library and jsonschema (4.10 as Debian 12 packages it, or
later) are used.
"""

import json
import sys
import urllib.parse

import jsonschema

METHODS = ("get", "put", "post", "delete", "options", "head", "patch",
           "trace")


def pointer(*parts):
    """A JSON pointer fragment to `parts`, escaped for a URI reference."""
    escaped = [str(p).replace("~", "~0").replace("/", "~1") for p in parts]
    return "#/" + "/".join(urllib.parse.quote(p, safe="~") for p in escaped)


class Document:
    """The OpenAPI document, its references resolved."""

    BASE = "urn:heymovie:openapi"

    def __init__(self, document):
        self.doc = document
        self.paths = document.get("paths") or {}
        self._validators = {}
        try:  # jsonschema >= 4.18: the referencing library
            import referencing
            import referencing.jsonschema

            resource = referencing.Resource(
                contents=document,
                specification=referencing.jsonschema.DRAFT202012)
            self._registry = referencing.Registry().with_resource(
                self.BASE, resource)
            self._base = self.BASE
        except ImportError:  # jsonschema 4.10 (Debian 12)
            self._registry = None
            self._resolver = jsonschema.RefResolver.from_schema(document)
            self._base = ""

    def resolve(self, obj, where):
        """`obj` with its `$ref`s (to this document) followed."""
        seen = set()
        while isinstance(obj, dict) and "$ref" in obj:
            target = obj["$ref"]
            if not target.startswith("#/") or target in seen:
                raise LookupError(f"{where}: cannot follow $ref {target}")
            seen.add(target)
            obj = self.doc
            for part in target[2:].split("/"):
                part = urllib.parse.unquote(part)
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(obj, dict) or part not in obj:
                    raise LookupError(f"{where}: dangling $ref {target}")
                obj = obj[part]
        return obj

    def validator(self, fragment):
        """A 2020-12 validator of the schema at `fragment` of the document."""
        if fragment not in self._validators:
            schema = {"$ref": self._base + fragment}
            cls = jsonschema.Draft202012Validator
            if self._registry is not None:
                v = cls(schema, registry=self._registry)
            else:
                v = cls(schema, resolver=self._resolver)
            self._validators[fragment] = v
        return self._validators[fragment]

    def errors(self, fragment, instance):
        v = self.validator(fragment)
        return sorted(v.iter_errors(instance), key=lambda e: list(e.path))


def media_type(text):
    """(type/subtype, {parameter: value}) of a Content-Type, lower-cased
    (values unquoted, kept as given)."""
    parts = text.split(";")
    essence = parts[0].strip().lower()
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params[k.strip().lower()] = v.strip().strip('"')
    return essence, params


def media_matches(documented, actual):
    d_type, d_params = media_type(documented)
    a_type, a_params = media_type(actual)
    if d_type != a_type:
        if d_type == "*/*":
            pass
        elif d_type.endswith("/*") and a_type.split("/")[0] == d_type[:-2]:
            pass
        else:
            return False
    return all(a_params.get(k) is not None and a_params[k].lower() == v.lower()
               for k, v in d_params.items())


def is_json(media):
    essence, _ = media_type(media)
    return essence == "application/json" or essence.endswith("+json")


def allowed_methods(path_item):
    methods = {m.upper() for m in METHODS if m in path_item}
    if "GET" in methods:
        methods.add("HEAD")
    return methods


def check_record(doc, index, record, ignored_headers, fail):
    """Appends the failures of one record through `fail(message)`."""
    if not isinstance(record, dict):
        fail(f"record {index}: not an object")
        return
    missing = [k for k in ("method", "route", "status", "content_type",
                           "body", "headers") if k not in record]
    if missing:
        fail(f"record {index}: missing {', '.join(missing)}")
        return
    method = str(record["method"]).upper()
    route = record["route"]
    status = record["status"]
    label = f"record {index}: {method} {route} {status}"

    def problem(message):
        fail(f"{label}: {message}")

    if not isinstance(status, int) or isinstance(status, bool):
        problem("status is not an integer")
        return
    if not isinstance(record["headers"], dict):
        problem("headers is not an object")
        return
    headers = {str(k).lower(): str(v) for k, v in record["headers"].items()}
    content_type = record["content_type"] or ""
    body = record["body"] if record["body"] is not None else ""

    # The operation, or the answers to requests that name none.
    path_item = doc.paths.get(route)
    head = method == "HEAD"
    operation = None
    where = None
    if isinstance(path_item, dict):
        path_item = doc.resolve(path_item, f"paths {route}")
        if method.lower() in path_item:
            operation = path_item[method.lower()]
            where = ("paths", route, method.lower(), "responses")
        elif head and "get" in path_item:
            operation = path_item["get"]
            where = ("paths", route, "get", "responses")
    if operation is not None:
        responses = operation.get("responses") or {}
    else:
        unmatched = doc.doc.get("x-unmatched-requests")
        if not isinstance(unmatched, dict) or \
                "responses" not in unmatched:
            problem("no such operation in the document")
            return
        responses = unmatched["responses"]
        where = ("x-unmatched-requests", "responses")
        if path_item is None and route != "other":
            problem("the route is not a path of the document (use `other` "
                    "for a path that is no route)")
            return
        if path_item is None and status == 405:
            problem("405 for a path that is no route")
        if path_item is not None and status == 404:
            problem(f"404 for the route's path with the method {method}, "
                    "which the document does not list for it")
        if path_item is not None and status == 405:
            allow = headers.get("allow")
            if allow is not None:
                got = {m.strip().upper() for m in allow.split(",")
                       if m.strip()}
                want = allowed_methods(path_item)
                if got != want:
                    problem(f"Allow: {allow} is not the path's methods "
                            f"{', '.join(sorted(want))}")

    # The response documented for the status.
    key = str(status)
    if key not in responses:
        key = f"{status // 100}XX"
        if key not in responses:
            key = "default" if "default" in responses else None
    if key is None:
        problem(f"status {status} is not documented "
                f"(documented: {', '.join(sorted(responses))})")
        return
    response = doc.resolve(responses[key], f"{label} response")
    where = where + (key,)
    # Follow a $ref to its target, so that schema fragments point there.
    ref = responses[key].get("$ref") if isinstance(responses[key], dict) \
        else None
    if ref:
        target = ref[2:].split("/")
        where = tuple(p.replace("~1", "/").replace("~0", "~")
                      for p in target)

    # Headers.
    for name, header in (response.get("headers") or {}).items():
        header_where = where + ("headers", name)
        header_ref = header.get("$ref") if isinstance(header, dict) else None
        header = doc.resolve(header, f"{label} header {name}")
        if header_ref:
            header_where = tuple(
                p.replace("~1", "/").replace("~0", "~")
                for p in header_ref[2:].split("/"))
        value = headers.get(name.lower())
        if value is None:
            if header.get("required") and name.lower() not in ignored_headers:
                problem(f"required header {name} is missing")
            continue
        if "schema" not in header:
            continue
        schema = doc.resolve(header["schema"], f"{label} header {name}")
        instance = value
        if schema.get("type") in ("integer", "number"):
            try:
                instance = int(value) if schema["type"] == "integer" \
                    else float(value)
            except ValueError:
                problem(f"header {name}: {value!r} is not "
                        f"{'an integer' if schema['type'] == 'integer' else 'a number'}")
                continue
        for err in doc.errors(pointer(*header_where, "schema"), instance):
            problem(f"header {name}: {err.message}")

    # Content type and body.
    content = response.get("content") or {}
    if not content:
        if body:
            problem("a body where the document has none")
        return
    media_key = next((m for m in content if media_matches(m, content_type)),
                     None)
    if media_key is None:
        problem(f"content type {content_type!r} is not documented "
                f"(documented: {', '.join(content)})")
        return
    if head:
        if body:
            problem("a HEAD answer with a body")
        return
    media = content[media_key]
    if not isinstance(media, dict) or "schema" not in media:
        return
    schema_fragment = pointer(*where, "content", media_key, "schema")
    if is_json(media_key):
        try:
            instance = json.loads(body)
        except ValueError as e:
            problem(f"the body is not JSON: {e}")
            return
    else:
        instance = body
    for err in doc.errors(schema_fragment, instance):
        at = "/".join(str(p) for p in err.absolute_path)
        problem(f"body{'/' + at if at else ''}: {err.message}")


def check_schemas(doc, fail):
    """Every schema of the document is a valid 2020-12 schema."""
    def visit(obj, where):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k == "schema" and isinstance(v, dict):
                    check(v, where + "/" + k)
                else:
                    visit(v, where + "/" + k)
        elif isinstance(obj, list):
            for i, v in enumerate(obj):
                visit(v, f"{where}/{i}")

    def check(schema, where):
        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.exceptions.SchemaError as e:
            fail(f"document {where}: not a valid schema: {e.message}")

    def visit_examples(obj, where):
        """Every media type's `example` validates against its schema."""
        if isinstance(obj, dict):
            if "schema" in obj and "example" in obj and isinstance(
                    obj["schema"], dict):
                for err in doc.errors(where + "/schema", obj["example"]):
                    fail(f"document {where}/example: {err.message}")
            for k, v in obj.items():
                escaped = k.replace("~", "~0").replace("/", "~1")
                visit_examples(v, where + "/" + urllib.parse.quote(
                    escaped, safe="~"))

    for name, schema in ((doc.doc.get("components") or {}).get("schemas")
                         or {}).items():
        check(schema, f"#/components/schemas/{name}")
    visit(doc.doc.get("paths") or {}, "#/paths")
    visit((doc.doc.get("components") or {}), "#/components")
    visit(doc.doc.get("x-unmatched-requests") or {}, "#/x-unmatched-requests")
    visit_examples(doc.doc.get("paths") or {}, "#/paths")
    visit_examples(doc.doc.get("components") or {}, "#/components")


def check_answers(document, answers, ignored_headers):
    failures = []
    doc = Document(document)
    check_schemas(doc, failures.append)
    if not isinstance(answers, list):
        failures.append("the answers are not a JSON list")
        return failures
    if not answers:
        failures.append("no answers to check")
    for i, record in enumerate(answers):
        try:
            check_record(doc, i, record, ignored_headers, failures.append)
        except LookupError as e:
            failures.append(f"record {i}: {e}")
    return failures


def check_routes(document, routes_text):
    failures = []
    documented = set()
    for path, item in (document.get("paths") or {}).items():
        for m in METHODS:
            if isinstance(item, dict) and m in item:
                documented.add((m.upper(), path))
    listed = set()
    for number, line in enumerate(routes_text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2:
            failures.append(f"routes line {number}: not METHOD PATH: {line}")
            continue
        listed.add((parts[0].upper(), parts[1]))
    if not listed:
        failures.append("the routes file lists no route")
    for method, path in sorted(listed - documented):
        failures.append(f"not in the document: {method} {path}")
    for method, path in sorted(documented - listed):
        failures.append(f"documented but not a route: {method} {path}")
    return failures


def load_json(path):
    """The JSON in file `path`, or None after saying why it cannot be read."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        print(f"{path}: {e}")
        return None


def main(argv):
    usage = ("usage: openapi_validate.py OPENAPI_JSON ANSWERS_JSON "
             "[--ignore-header NAME]...\n"
             "       openapi_validate.py OPENAPI_JSON --routes ROUTES_TXT")
    args = argv[1:]
    if len(args) < 2:
        print(usage, file=sys.stderr)
        return 2
    document = load_json(args[0])
    if document is None:
        return 1
    if args[1] == "--routes":
        if len(args) != 3:
            print(usage, file=sys.stderr)
            return 2
        try:
            with open(args[2], encoding="utf-8") as f:
                failures = check_routes(document, f.read())
        except OSError as e:
            failures = [f"{args[2]}: {e}"]
    else:
        ignored = set()
        rest = args[2:]
        while rest:
            if rest[0] != "--ignore-header" or len(rest) < 2:
                print(usage, file=sys.stderr)
                return 2
            ignored.add(rest[1].lower())
            rest = rest[2:]
        answers = load_json(args[1])
        if answers is None:
            return 1
        failures = check_answers(document, answers, ignored)
    for line in failures:
        print(line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
