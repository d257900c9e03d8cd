"""The web samples of sample_archive/web/, and the means to make more of them in tests: pages
of two fictional outlets, a web archive (WARC) captured from them as a crawler would, and an
RSS feed. Every article here is fiction (sample_archive/README.md).

    python -m tests.sample_web   # rewrites sample_archive/web/arsip-2025-11.warc.gz
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

SAMPLE_WEB = Path(__file__).resolve().parents[1] / "sample_archive" / "web"
WARC_NAME = "arsip-2025-11.warc.gz"

HAZE = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Kabut Asap Kembali Selimuti Pontianak, Sekolah Diliburkan | Lintas Borneo</title>
<meta property="og:site_name" content="Lintas Borneo">
<meta property="og:title" content="Kabut Asap Kembali Selimuti Pontianak, Sekolah Diliburkan">
<meta property="article:published_time" content="2025-09-18T07:45:00+07:00">
<link rel="canonical" href="https://lintasborneo.example/kalbar/kabut-asap-pontianak-sekolah-diliburkan">
</head><body>
<nav><a href="/">Beranda</a> <a href="/kalbar">Kalbar</a> <a href="/kalteng">Kalteng</a> <a href="/lingkungan">Lingkungan</a></nav>
<article>
<h1>Kabut Asap Kembali Selimuti Pontianak, Sekolah Diliburkan</h1>
<div class="byline">Reporter: Agustinus Lim</div>
<p>LINTAS BORNEO, PONTIANAK – Kabut asap dari kebakaran lahan gambut kembali menyelimuti Kota Pontianak sejak Rabu malam. Jarak pandang di sejumlah ruas jalan turun hingga di bawah 300 meter.</p>
<p>Dinas Pendidikan Kota Pontianak meliburkan sekolah dasar dan sekolah menengah pertama selama dua hari. Siswa diminta belajar dari rumah sambil menunggu kualitas udara membaik.</p>
<p>Baca Juga: Festival Budaya Dayak Pontianak Tetap Digelar di Tengah Kabut</p>
<p>Badan Penanggulangan Bencana Daerah Kalimantan Barat mencatat titik panas terbanyak berada di Kabupaten Kubu Raya dan Mempawah. Tim gabungan terus memadamkan api di lahan gambut yang sulit dijangkau.</p>
<p>Warga diimbau mengenakan masker saat keluar rumah dan segera memeriksakan diri ke puskesmas bila mengalami sesak napas.</p>
</article>
<aside><h3>Berita Terkini</h3><a href="/x">Harga Karet Naik Tipis</a> <time datetime="2025-09-19T09:00:00+07:00">19/09/2025</time></aside>
<footer>© 2025 Lintas Borneo</footer>
</body></html>
"""

STARTUP = """<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8">
<title>Lumbung Digital Buka Kantor Cabang di Makassar - MediaKhatulistiwa.com</title>
<meta property="og:site_name" content="MediaKhatulistiwa.com">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",
 "headline": "Lumbung Digital Buka Kantor Cabang di Makassar",
 "datePublished": "2025-10-02T13:05:00+07:00",
 "publisher": {"@type": "Organization", "name": "Media Khatulistiwa"}}</script>
</head><body>
<div class="menu"><a href="/">Home</a> | <a href="/bisnis">Bisnis</a> | <a href="/tekno">Tekno</a></div>
<div class="content">
<h1>Lumbung Digital Buka Kantor Cabang di Makassar</h1>
<p>MEDIA KHATULISTIWA, MAKASSAR – Perusahaan rintisan agritech asal Bandung, PT Lumbung Digital Indonesia, membuka kantor cabang pertamanya di luar Jawa di Makassar, Sulawesi Selatan.</p>
<p>CEO Lumbung Digital, Dimas Prasetyo, mengatakan kantor itu akan melayani petani dan nelayan di kawasan timur Indonesia yang selama ini sulit menjangkau pembeli besar.</p>
<p>"Kami ingin petani di Sulawesi bisa menjual langsung ke pabrik tanpa rantai perantara yang panjang," kata Dimas saat peresmian kantor.</p>
<p>Lumbung Digital menargetkan merangkul sepuluh ribu petani di Sulawesi Selatan hingga akhir tahun depan.</p>
<p>Editor: Nurul Hidayah</p>
</div>
<div class="footer">Copyright © 2025 MediaKhatulistiwa.com</div>
</body></html>
"""

NOT_FOUND = """<!DOCTYPE html><html><head><title>Halaman tidak ditemukan</title></head>
<body><h1>404</h1><p>Maaf, halaman yang Anda cari tidak ditemukan.</p></body></html>
"""

HAZE_URL = "https://lintasborneo.example/kalbar/kabut-asap-pontianak-sekolah-diliburkan"
STARTUP_URL = "https://mediakhatulistiwa.example/bisnis/lumbung-digital-buka-kantor-cabang-makassar"


@dataclass(frozen=True)
class Capture:
    """One capture of a crawl: a response (or a revisit of an earlier one)."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"
    date: str = "2025-11-20T03:00:00Z"
    revisit: bool = False


def write_warc(path: Path, captures: Iterable[Capture], *, gzip: bool = True) -> Path:
    """A WARC of `captures` as a crawler writes one: a warcinfo record, then a request and a
    response for each capture (a revisit record for a revisit)."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        info = writer.create_warcinfo_record(path.name, {"software": "tests/sample_web.py"})
        writer.write_record(info)
        for n, c in enumerate(captures):
            headers = {
                "WARC-Date": c.date,
                "WARC-Record-ID": f"<urn:uuid:00000000-0000-4000-8000-{n:012d}>",
            }
            get = f"GET / HTTP/1.1\r\nHost: {c.url.split('/')[2]}\r\n\r\n".encode()
            # With its length given, warcio buffers no payload in a temporary file.
            request = writer.create_warc_record(
                c.url,
                "request",
                payload=io.BytesIO(get),
                length=len(get),
                warc_headers_dict=headers,
            )
            writer.write_record(request)
            http = StatusAndHeaders(
                c.status, [("Content-Type", c.content_type)], protocol="HTTP/1.1"
            )
            if c.revisit:
                record = writer.create_revisit_record(
                    c.url,
                    digest="sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                    refers_to_uri=c.url,
                    refers_to_date=c.date,
                    http_headers=http,
                )
            else:
                record = writer.create_warc_record(
                    c.url,
                    "response",
                    payload=io.BytesIO(c.body),
                    length=len(c.body),
                    http_headers=http,
                    warc_headers_dict=headers,
                )
            writer.write_record(record)
    return path


def sample_captures() -> list[Capture]:
    """The sample crawl: two articles, and what else a crawl of their sites holds."""
    return [
        Capture(HAZE_URL, HAZE.encode("utf-8")),
        Capture(
            "https://lintasborneo.example/img/asap.jpg",
            b"\xff\xd8\xff\xe0 not really",
            "image/jpeg",
        ),
        Capture(STARTUP_URL, STARTUP.encode("utf-8")),
        Capture(
            "https://lintasborneo.example/robots.txt", b"User-agent: *\nAllow: /\n", "text/plain"
        ),
        Capture(
            "https://mediakhatulistiwa.example/bisnis/halaman-lama",
            NOT_FOUND.encode(),
            status="404 Not Found",
        ),
        Capture(HAZE_URL, b"", date="2025-11-21T03:00:00Z", revisit=True),
    ]


if __name__ == "__main__":
    print(write_warc(SAMPLE_WEB / WARC_NAME, sample_captures()))
