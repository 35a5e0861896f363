"""The single-user servers' stand-in for the spawn-storm benchmark, the same for both hubs.

kwok makes pods Running and Ready without running anything; each hub then checks that the server
answers HTTP at the pod's address (Ganymede's readiness probe, JupyterHub's wait_up). This process
follows the pods (one list and one watch through kubectl, for the whole run) and listens on
<pod IP>:8888 for every pod that has an address, answering any GET with 200 and a small JSON body.
Pod addresses are loopback ones (kwok --cidr 127.3.0.0/16), so nothing leaves the machine.
"""
import asyncio
import sys

BODY = b'{"version": "stand-in"}'
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
            + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)


async def serve(reader, writer):
    try:
        while True:
            request = await reader.readuntil(b"\r\n\r\n")
            if not request:
                break
            writer.write(RESPONSE)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


async def main(port):
    servers = {}
    # kubectl's watch ends now and then (the API server closes watches after a while): start it again.
    while True:
        watch = await asyncio.create_subprocess_exec(
            "kubectl", "get", "pods", "--all-namespaces", "--watch", "--no-headers",
            "-o", "custom-columns=IP:.status.podIP", stdout=asyncio.subprocess.PIPE)
        while True:
            line = await watch.stdout.readline()
            if not line:
                break
            ip = line.decode().strip()
            if ip.startswith("127.") and ip not in servers:
                try:
                    servers[ip] = await asyncio.start_server(serve, ip, port)
                except OSError as e:
                    print(f"readiness stub: cannot listen on {ip}:{port}: {e}", file=sys.stderr, flush=True)
        await watch.wait()
        print("readiness stub: kubectl's watch ended; watching again", file=sys.stderr, flush=True)
        await asyncio.sleep(0.5)


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 8888))
