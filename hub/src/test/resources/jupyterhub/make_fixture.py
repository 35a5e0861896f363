"""Makes jupyterhub-5.5.sqlite (3.0 with Debian's JupyterHub: /usr/bin/python3; 6.1 with its virtualenv), the JupyterHub database ImportCommandTest imports, and
jupyterhub-5.5.tokens.json, the secrets of its tokens the test checks, with the real
JupyterHub: run with the Python of a JupyterHub virtualenv (src/test/peers/install.sh makes one),

    <peers>/jupyterhub-5.5/bin/python make_fixture.py <peers>/chp/node_modules/.bin/configurable-http-proxy <out.sqlite>

It starts JupyterHub with a SQLite database, the simple local-process spawner and an admin
service, then through the REST API: users alice@example.com (running server, a read:users token
for a pipeline, an expired token), bob (server started then stopped) and carol (admin), the group
data-science with properties and a custom role; then stops JupyterHub with alice's server left
running (cleanup_servers = False, as z2jh's hub restarts do) and kills that server.

<out.sqlite> may instead be a PostgreSQL URL (postgresql+psycopg2://user:pass@host:port/db, the
form z2jh documents for hub.db.url with hub.db.type=postgres; SQLAlchemy 2.1 reads a plain
postgresql:// as psycopg 3's): JupyterHub then makes its schema and data there, and the tokens
are only printed.
"""
import json, os, signal, subprocess, sys, tempfile, time, urllib.error, urllib.request

import jupyterhub

# Group properties came with JupyterHub 4.0; load_groups took a plain list of members before.
OLD = int(jupyterhub.__version__.split(".")[0]) < 4
GROUPS = ("{'data-science': ['alice@example.com', 'bob']}" if OLD else
          "{'data-science': {'users': ['alice@example.com', 'bob'], 'properties': {'cost-center': 'ds-42'}}}")

import sqlalchemy

chp, out = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="jh-fixture-")
ON_POSTGRES = out.startswith("postgresql")
DB_URL = out if ON_POSTGRES else f"sqlite:///{work}/jupyterhub.sqlite"
bindir = os.path.dirname(sys.executable)
SERVICE_TOKEN = "svc-0123456789abcdef0123456789abcdef"
config = f"""
import os
c.JupyterHub.db_url = {DB_URL!r}
c.JupyterHub.bind_url = 'http://127.0.0.1:18700'
c.JupyterHub.hub_bind_url = 'http://127.0.0.1:18781'
c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:18701'
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.cookie_secret_file = '{work}/cookie_secret'
c.JupyterHub.cleanup_servers = False
c.JupyterHub.authenticator_class = 'dummy'
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = 'simple'
c.Spawner.cmd = ['{bindir}/jupyterhub-singleuser']
c.Spawner.args = ['--ServerApp.ip=127.0.0.1'] + (['--allow-root'] if os.getuid() == 0 else [])
c.Spawner.default_url = '/lab'
c.LocalProcessSpawner.home_dir_template = '{work}/home/{{username}}'
c.JupyterHub.services = [{{'name': 'pipeline-admin', 'api_token': '{SERVICE_TOKEN}'}}]
c.JupyterHub.load_groups = {GROUPS}
c.JupyterHub.load_roles = [
    {{'name': 'admin', 'services': ['pipeline-admin']}},
    {{'name': 'reporting', 'scopes': ['read:metrics'], 'services': ['pipeline-admin']}},
    {{'name': 'data-readers', 'description': 'read users and servers of the team', 'scopes': ['read:users', 'list:users', 'read:servers!group=data-science'], 'groups': ['data-science']}},
]
"""
with open(f"{work}/jupyterhub_config.py", "w") as f:
    f.write(config)
for user in ("alice@example.com", "bob", "carol"):
    os.makedirs(f"{work}/home/{user}", exist_ok=True)
log = open(f"{work}/jupyterhub.log", "w")
hub = subprocess.Popen([f"{bindir}/jupyterhub", "-f", f"{work}/jupyterhub_config.py"], cwd=work, stdout=log, stderr=log)
API = "http://127.0.0.1:18781/hub/api"


def call(method, path, body=None, token=SERVICE_TOKEN):
    req = urllib.request.Request(API + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        text = r.read()
        return json.loads(text) if text else None


def start(user):
    try:
        call("POST", f"/users/{user}/server", {})
    except urllib.error.HTTPError as e:
        # JupyterHub 5.5 may answer a start slower than slow_spawn_timeout with a 500 while it goes on.
        if e.code != 500:
            raise
    wait_ready(user)


def wait_ready(user):
    for _ in range(120):
        if call("GET", f"/users/{user}")["servers"].get("", {}).get("ready"):
            return
        time.sleep(0.5)
    raise RuntimeError(f"{user}'s server never got ready")


def make():
    for _ in range(120):
        try:
            call("GET", "/")
            break
        except Exception:
            time.sleep(0.5)
    call("POST", "/users", {"usernames": ["carol"], "admin": True})
    pipeline = call("POST", "/users/alice@example.com/tokens",
                    {"note": "pipeline", "scopes": ["read:users"], "expires_in": 86400 * 365 * 30})
    expired = call("POST", "/users/alice@example.com/tokens", {"note": "old", "expires_in": 1})
    start("bob")
    call("DELETE", "/users/bob/server")
    start("alice@example.com")
    time.sleep(2)
    return {"pipeline_token": pipeline["token"], "expired_token": expired["token"]}


def alice_pid():
    engine = sqlalchemy.create_engine(DB_URL)
    try:
        with engine.connect() as db:
            state = db.execute(sqlalchemy.text("select s.state from spawners s join users u on u.id = s.user_id"
                                               " where u.name = 'alice@example.com' and s.name = ''")).scalar()
    finally:
        engine.dispose()
    # JupyterHub's JSONDict column: text in SQLite and PostgreSQL alike.
    return json.loads(state or "{}").get("pid")


def server_token(pid):
    """The API token JupyterHub gave alice's server (the secret of its OAuth client too)."""
    with open(f"/proc/{pid}/environ", "rb") as f:
        env = dict(v.split(b"=", 1) for v in f.read().split(b"\0") if b"=" in v)
    return env[b"JUPYTERHUB_API_TOKEN"].decode()


try:
    made = make()
    made["server_token"] = server_token(alice_pid())
finally:
    hub.send_signal(signal.SIGTERM)
    hub.wait(timeout=60)
    if alice_pid():
        os.kill(alice_pid(), signal.SIGTERM)
print(json.dumps(made))
if not ON_POSTGRES:
    out = os.path.abspath(out)
    subprocess.check_call(["cp", f"{work}/jupyterhub.sqlite", out])
    with open(os.path.splitext(out)[0] + ".tokens.json", "w") as f:
        json.dump(made, f)
