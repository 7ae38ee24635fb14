"""The default TLS listener: a self-signed certificate under ``<data dir>/tls/``, made once.

The certificate names ``localhost``, ``127.0.0.1``, ``::1`` and the listening host, so clients can
verify it by trusting ``cert.pem`` itself (``curl --cacert``, ``httpx.Client(verify=…)``) instead of
turning verification off. It is remade when a new host is not covered or it nears its end.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CERT_NAME = "cert.pem"
KEY_NAME = "key.pem"
# Apple platforms refuse server certificates valid for longer than 825 days.
VALIDITY = dt.timedelta(days=825)
RENEW_BEFORE = dt.timedelta(days=30)
# Hosts that mean "every interface": no address to name, so the machine's name is used.
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})  # noqa: S104

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class CertificatePair:
    cert_file: Path
    key_file: Path
    created: bool


def names_for(host: str) -> tuple[set[str], set[IPAddress]]:
    """DNS names and addresses the certificate must cover for a listener on ``host``."""
    dns = {"localhost"}
    ips: set[IPAddress] = {ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1")}
    host = host.strip().strip("[]")
    if host in WILDCARD_HOSTS:
        # Listening everywhere: clients on other machines most likely use this machine's name.
        hostname = socket.gethostname()
        if hostname:
            dns.add(hostname)
        return dns, ips
    try:
        ips.add(ipaddress.ip_address(host))
    except ValueError:
        dns.add(host.lower())
    return dns, ips


def ensure_certificate(tls_dir: Path, host: str, *, now: dt.datetime | None = None) -> CertificatePair:
    """The certificate and key under ``tls_dir``; made when missing, not covering ``host``, or old."""
    now = now or dt.datetime.now(dt.UTC)
    cert_file, key_file = tls_dir / CERT_NAME, tls_dir / KEY_NAME
    dns, ips = names_for(host)
    if cert_file.exists() and key_file.exists() and _still_good(cert_file, dns, ips, now):
        return CertificatePair(cert_file, key_file, created=False)
    tls_dir.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _self_signed(key, dns, ips, now)
    _write(
        key_file,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        mode=0o600,
    )
    _write(cert_file, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    return CertificatePair(cert_file, key_file, created=True)


def _still_good(cert_file: Path, dns: set[str], ips: set[IPAddress], now: dt.datetime) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_file.read_bytes())
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (ValueError, x509.ExtensionNotFound):
        return False
    covered_dns = {name.lower() for name in names.get_values_for_type(x509.DNSName)}
    covered_ips = set(names.get_values_for_type(x509.IPAddress))
    fresh = cert.not_valid_after_utc - RENEW_BEFORE > now
    return fresh and dns <= covered_dns and ips <= covered_ips


def _self_signed(
    key: ec.EllipticCurvePrivateKey, dns: set[str], ips: set[IPAddress], now: dt.datetime
) -> x509.Certificate:
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "planfix-server"),
            x509.NameAttribute(NameOID.COMMON_NAME, "localhost"),
        ]
    )
    public = key.public_key()
    alt_names: list[x509.GeneralName] = [x509.DNSName(name) for name in sorted(dns)]
    alt_names += [x509.IPAddress(ip) for ip in sorted(ips, key=str)]
    # The extensions a strict verifier (Python 3.13's default context) insists on.
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(alt_names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def _write(path: Path, data: bytes, *, mode: int) -> None:
    """Write through a temporary file created with ``mode``, so the key is never world-readable."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.unlink(missing_ok=True)
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(temporary, mode)  # the umask may have narrowed it; the certificate must stay readable
    os.replace(temporary, path)
