"""A stand-in single-user server for the hub's API tests: answers every GET with 200 and
records nothing. The end-to-end suite runs the real jupyterhub-singleuser instead.
Named servers "slow" (answers after 7 s, beyond the tests' slow-spawn timeout) and "broken"
(exits at once) let tests see a pending start and a failed one."""
import http.server
import os
import sys
import time

server_name = os.environ.get("JUPYTERHUB_SERVER_NAME", "")
if server_name == "broken":
    sys.exit(3)
if server_name == "slow":
    time.sleep(7)

port = next(int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--port="))


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = b'{"ok": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
