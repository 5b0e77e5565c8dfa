"""An SMTP peer no one on the mailcheck team wrote, for `npm run bench`: Debian's python3-aiosmtpd
(aiosmtpd 1.4) with STARTTLS required before AUTH and one user. No artificial delays: aiosmtpd
answers as fast as Python can, unlike smtp-server's ~100 ms early-talker wait.

usage: aiosmtpd-peer.py PORT CERT KEY USER PASSWORD   (prints "ready" when listening; stops on stdin EOF)
"""
import ssl
import sys
import logging

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

# aiosmtpd 1.4 itself reads the deprecated Session.login_data during AUTH and logs a warning
# each time (logging.warning in aiosmtpd/smtp.py, not the warnings module): keep it off the bench
logging.getLogger("mail.log").addFilter(lambda record: "login_data is deprecated" not in record.getMessage())

port, cert, key, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == user.encode() and auth_data.password == password.encode()
    return AuthResult(success=ok, handled=False)


context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert, key)
controller = Controller(
    Sink(),
    hostname="127.0.0.1",
    port=port,
    tls_context=context,
    require_starttls=True,
    auth_require_tls=True,
    authenticator=authenticator,
)
controller.start()
print("ready", flush=True)
sys.stdin.read()
controller.stop()
