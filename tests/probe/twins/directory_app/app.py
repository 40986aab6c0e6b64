"""Directory twin (Flask): lookups in an XML document with lxml and in an LDAP directory
with ldap3's offline mock strategy (a real filter parser, entries held in memory). Each
endpoint has a vulnerable form (the input spliced into the expression or filter) and a fixed
one (XPath variables, escaped filter values). Some show the engine's error, some hide it."""

import sys

from flask import Flask, jsonify, request
from ldap3 import MOCK_SYNC, Connection, Server
from ldap3.utils.conv import escape_filter_chars
from lxml import etree
from twin_support import VULNERABLE, debug_page

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


app.register_error_handler(500, debug_page)


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


def xpath_lookup(spliced: str, bound: str, hide_errors: bool = True, **variables: str):
    """Vulnerable: the expression with the input spliced in. Fixed: the input as a variable."""
    try:
        found = STAFF.xpath(spliced) if VULNERABLE else STAFF.xpath(bound, **variables)
    except etree.XPathError:
        if not hide_errors:
            raise
        return jsonify({"error": "bad request"}), 400
    return jsonify([str(x) for x in found])


@app.route("/staff", methods=["POST"])
def staff():
    """XPath in single quotes, errors hidden."""
    name = request.form.get("name", "")
    return xpath_lookup(f"//member[name='{name}']/phone/text()", "//member[name=$name]/phone/text()", name=name)


@app.route("/badge")
def badge():
    """XPath on a number, the engine's error shown on the debug page."""
    badge_id = request.headers.get("X-Badge-Id", "7")
    return xpath_lookup(f"//badge[@id={badge_id}]/@owner", "//badge[@id=$id]/@owner", hide_errors=False, id=badge_id)


@app.route("/api/members", methods=["POST"])
def members():
    """XPath in double quotes from a JSON key, errors hidden."""
    dept = str((request.get_json(silent=True) or {}).get("dept", ""))
    return xpath_lookup(f'//member[dept="{dept}"]/name/text()', "//member[dept=$dept]/name/text()", dept=dept)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False, use_reloader=False)
