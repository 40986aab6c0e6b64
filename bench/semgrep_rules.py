"""Generate a local Semgrep rule set comparable in size and kind to auditor's detectors
(Semgrep's registry is not reachable here): taint rules (request sources -> injection
sinks) and pattern rules (dangerous calls), for Python and JavaScript."""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

PY_SOURCES = ["request.args.get(...)", "request.form[...]", "request.GET.get(...)", "request.POST[...]",
              "request.json", "request.data"]
JS_SOURCES = ["$REQ.query", "$REQ.body", "$REQ.params", "$REQ.headers", "$REQ.cookies"]
PY_SINKS = {
    "sql": ["$C.execute($Q, ...)", "$M.objects.raw($Q, ...)", "text($Q)", "$C.executemany($Q, ...)"],
    "cmd": ["os.system($Q)", "subprocess.call($Q, shell=True, ...)", "subprocess.run($Q, shell=True, ...)",
            "subprocess.Popen($Q, shell=True, ...)", "os.popen($Q)"],
    "code": ["eval($Q)", "exec($Q)"],
    "path": ["open($Q, ...)", "send_file($Q, ...)", "FileResponse(open($Q, ...))"],
    "ssrf": ["requests.get($Q, ...)", "requests.post($Q, ...)", "httpx.get($Q, ...)", "urlopen($Q, ...)"],
    "redirect": ["redirect($Q, ...)", "HttpResponseRedirect($Q)"],
    "deser": ["pickle.loads($Q)", "yaml.load($Q, ...)", "marshal.loads($Q)"],
    "xss": ["mark_safe($Q)", "Markup($Q)", "render_template_string($Q, ...)", "HttpResponse($Q)"],
}
JS_SINKS = {
    "sql": ["$DB.query($Q, ...)", "$DB.execute($Q, ...)", "$K.raw($Q, ...)", "$P.$queryRawUnsafe($Q, ...)"],
    "cmd": ["exec($Q, ...)", "execSync($Q, ...)", "child_process.exec($Q, ...)", "spawn($Q, ..., {shell: true})"],
    "code": ["eval($Q)", "new Function($Q)", "vm.runInNewContext($Q, ...)"],
    "path": ["fs.readFile($Q, ...)", "fs.readFileSync($Q, ...)", "$RES.sendFile($Q, ...)", "fs.createReadStream($Q, ...)"],
    "ssrf": ["fetch($Q, ...)", "axios.get($Q, ...)", "http.get($Q, ...)", "got($Q, ...)"],
    "redirect": ["$RES.redirect($Q)"],
    "nosql": ["$M.find($Q)", "$M.findOne($Q)", "$M.updateOne($Q, ...)", "$M.deleteMany($Q)"],
    "xss": ["$RES.send($Q)", "$EL.innerHTML = $Q", "document.write($Q)"],
}
PY_PATTERNS = ["hashlib.md5(...)", "hashlib.sha1(...)", "random.random()", "yaml.load(...)", "pickle.load(...)",
               "tempfile.mktemp(...)", "requests.get(..., verify=False)", "DEBUG = True", "jwt.decode(..., options={'verify_signature': False})",
               "app.run(..., debug=True)", "csrf_exempt", "xml.etree.ElementTree.parse(...)", "ssl._create_unverified_context()",
               "assert $X", "subprocess.call(..., shell=True)", "os.chmod($F, 0o777)"]
JS_PATTERNS = ["Math.random()", "crypto.createHash('md5')", "crypto.createHash('sha1')", "jwt.decode(...)",
               "cors({origin: '*', ...})", "eval(...)", "rejectUnauthorized: false", "$X.dangerouslySetInnerHTML",
               "new RegExp($X)", "Object.assign({}, $REQ.body)", "res.cookie(..., {httpOnly: false})",
               "session({secret: '...', ...})", "jwt.sign($P, '...')", "express.static('.')", "child_process.exec(...)",
               "document.write(...)"]


def _taint(lang: str, name: str, sources: list[str], sinks: list[str]) -> dict:
    return {
        "id": f"bench.{lang}.taint.{name}", "mode": "taint", "languages": [lang], "severity": "ERROR",
        "message": f"{name} from request data",
        "pattern-sources": [{"pattern": s} for s in sources],
        "pattern-sinks": [{"patterns": [{"pattern-inside": k}, {"focus-metavariable": "$Q"}]} for k in sinks],
    }


def build_rules() -> list[dict]:
    rules = []
    for lang, sources, sinks, patterns in (("python", PY_SOURCES, PY_SINKS, PY_PATTERNS),
                                           ("javascript", JS_SOURCES, JS_SINKS, JS_PATTERNS)):
        for name, sink_list in sinks.items():
            rules.append(_taint(lang, name, sources, sink_list))
            for i, sink in enumerate(sink_list):  # plus one pattern rule per sink, as auditor has
                rules.append({"id": f"bench.{lang}.sink.{name}.{i}", "languages": [lang], "severity": "WARNING",
                              "message": "sink", "pattern": sink.replace("$Q", "...") if "=" not in sink else sink})
        for i, pat in enumerate(patterns):
            rules.append({"id": f"bench.{lang}.pattern.{i}", "languages": [lang], "severity": "WARNING",
                          "message": "pattern", "pattern": pat})
    return rules


def write_rules(path: Path) -> int:
    rules = build_rules()
    path.write_text(yaml.safe_dump({"rules": rules}, sort_keys=False))
    return len(rules)


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/corpus/semgrep-rules.yaml")
    print(f"{write_rules(out)} rules -> {out}")
