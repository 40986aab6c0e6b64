"""Directory twin (Flask): lookups in an XML document with lxml and in an LDAP directory
with ldap3's offline mock strategy (a real filter parser, entries held in memory). Each
endpoint has a vulnerable form (the input spliced into the expression or filter) and a fixed
one (XPath variables, escaped filter values). Some show the engine's error, some hide it."""

import html
import sys
import traceback

from flask import Flask, jsonify, request
from ldap3 import MOCK_SYNC, Connection, Server
from ldap3.utils.conv import escape_filter_chars
from lxml import etree
from twin_support import VULNERABLE

app = Flask(__name__)

STAFF = etree.fromstring(
    b"<staff><member id='1'><name>alice</name><dept>ops</dept><phone>555-0101</phone></member>"
    b"<member id='2'><name>bob</name><dept>dev</dept><phone>555-0102</phone></member>"
    b"<badge id='7' owner='alice'/><badge id='8' owner='bob'/></staff>")


def directory() -> Connection:
    conn = Connection(Server("twin-directory"), client_strategy=MOCK_SYNC)
    for uid, team in (("alice", "ops"), ("bob", "dev")):
        conn.strategy.add_entry(f"uid={uid},ou=people,o=twin", {
            "uid": uid, "cn": team, "mail": f"{uid}@twin.test", "objectClass": ["person", "top"]})
    conn.bind()
    return conn


LDAP = directory()


def ldap_mails(flt: str) -> list[str]:
    LDAP.search("ou=people,o=twin", flt, attributes=["mail"])
    return sorted(str(e.mail) for e in LDAP.entries)


@app.errorhandler(500)
def error(exc):
    if VULNERABLE:
        cause = getattr(exc, "original_exception", None) or exc
        return "<pre>" + html.escape("".join(traceback.format_exception(cause))) + "</pre>", 500
    return "internal error", 500


@app.route("/people")
def people():
    """LDAP, AND filter, errors hidden: only the differential shows it."""
    uid = request.args.get("uid", "alice")
    value = uid if VULNERABLE else escape_filter_chars(uid)
    try:
        return jsonify(ldap_mails(f"(&(uid={value})(objectClass=person))"))
    except Exception:
        return jsonify({"error": "bad request"}), 400


@app.route("/team")
def team():
    """LDAP, a single filter, the parser's error shown on the debug page."""
    name = request.cookies.get("team", "ops")
    value = name if VULNERABLE else escape_filter_chars(name)
    return jsonify(ldap_mails(f"(cn={value})"))


@app.route("/staff", methods=["POST"])
def staff():
    """XPath in single quotes, errors hidden."""
    name = request.form.get("name", "")
    try:
        if VULNERABLE:
            phones = STAFF.xpath(f"//member[name='{name}']/phone/text()")
        else:
            phones = STAFF.xpath("//member[name=$name]/phone/text()", name=name)
    except etree.XPathError:
        return jsonify({"error": "bad request"}), 400
    return jsonify([str(p) for p in phones])


@app.route("/badge")
def badge():
    """XPath on a number, the engine's error shown on the debug page."""
    badge_id = request.headers.get("X-Badge-Id", "7")
    if VULNERABLE:
        owners = STAFF.xpath(f"//badge[@id={badge_id}]/@owner")
    else:
        owners = STAFF.xpath("//badge[@id=$id]/@owner", id=badge_id)
    return jsonify([str(o) for o in owners])


@app.route("/api/members", methods=["POST"])
def members():
    """XPath in double quotes from a JSON key, errors hidden."""
    dept = str((request.get_json(silent=True) or {}).get("dept", ""))
    try:
        if VULNERABLE:
            names = STAFF.xpath(f'//member[dept="{dept}"]/name/text()')
        else:
            names = STAFF.xpath("//member[dept=$dept]/name/text()", dept=dept)
    except etree.XPathError:
        return jsonify({"error": "bad request"}), 400
    return jsonify([str(n) for n in names])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False, use_reloader=False)
