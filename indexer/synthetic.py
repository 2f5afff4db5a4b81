"""Realistic synthetic posts for benchmarks: 90 days, a Zipf vocabulary of Indonesian words,
every tag field filled. Deterministic for a seed, generated in batches so a million posts
never sit in memory at once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from pantau.post import KINDS, SOURCES, Post, Region, Sentiment

_ROOTS = """
jalan jembatan rusak lubang banjir macet antre lama pelayanan kantor desa kecamatan kabupaten kota
provinsi gubernur bupati walikota dinas pegawai warga masyarakat sekolah guru murid rumah sakit
puskesmas dokter obat pasien bpjs ktp kk akta surat izin pajak kendaraan samsat sim polisi lampu
listrik air pdam sampah selokan drainase got tanggul sungai hujan longsor gempa pasar harga beras
minyak gula cabai bawang telur daging petani nelayan pupuk subsidi bantuan sosial bansos program
anggaran proyek pembangunan perbaikan aspal trotoar parkir terminal bus angkot kereta stasiun
bandara pelabuhan tol pungli korupsi laporan aduan keluhan lapor respon cepat lambat bagus buruk
baik jelek puas kecewa marah senang terima kasih tolong mohon segera kapan sudah belum tidak ada
bisa harus perlu sangat sekali banyak sedikit besar kecil baru lama pagi siang sore malam hari
minggu bulan tahun semarang solo surakarta magelang salatiga pekalongan tegal kudus jepara pati
rembang blora grobogan demak kendal batang pemalang brebes banyumas cilacap purbalingga banjarnegara
kebumen purworejo wonosobo temanggung boyolali klaten sukoharjo wonogiri karanganyar sragen online
aplikasi website server error gagal login daftar antrean nomor loket petugas ramah jutek judes
internet sinyal jaringan vaksin stunting gizi posyandu bidan ambulans pemadam kebakaran api asap
""".split()
_PREFIXES = ("", "", "", "di", "me", "ke", "pe", "ber", "ter")
_SUFFIXES = ("", "", "", "an", "kan", "nya", "i", "lah")
_FUNCTION = "yang di dan ini itu ke dari untuk dengan pada juga akan karena saya kami kita mereka".split()
TOPICS = ("jalan", "banjir", "kesehatan", "pendidikan", "kependudukan", "transportasi", "air", "sampah", "pajak", "bansos")
AGENCIES = ("DPU Bina Marga", "Dinas Kesehatan", "Dinas Pendidikan", "Disdukcapil", "Dinas Perhubungan",
            "PDAM", "DLH", "Bapenda", "Dinas Sosial", "BPBD")
REGIONS = tuple((f"33{n:02d}", f"Wilayah {n}") for n in range(1, 30)) + tuple((f"337{n}", f"Kota {n}") for n in range(1, 7))


def vocabulary(size: int = 6000, seed: int = 7) -> list[str]:
    """Roots, function words and affixed forms, in a fixed Zipf rank order."""
    rng = random.Random(seed)
    words = list(dict.fromkeys(_FUNCTION + _ROOTS))
    seen = set(words)
    while len(words) < size:
        word = rng.choice(_PREFIXES) + rng.choice(_ROOTS) + rng.choice(_SUFFIXES)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class PostFactory:
    def __init__(self, days: int = 90, seed: int = 1, now: datetime | None = None, exponent: float = 1.07) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary()
        weights = [1 / (rank + 1) ** exponent for rank in range(len(self.words))]
        total = 0.0
        self.cum: list[float] = []
        for w in weights:
            total += w
            self.cum.append(total)
        self.now = now or datetime.now(timezone.utc).replace(microsecond=0)
        self.span_s = days * 86400
        self.sources = sorted(SOURCES)
        self.authors = [f"{n:032x}" for n in range(50_000)]

    def text(self, length: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cum, k=length))

    def post(self, n: int) -> Post:
        rng = self.rng
        label = rng.choices(("negative", "neutral", "positive"), (5, 3, 2))[0]
        code, name = rng.choice(REGIONS)
        return Post(
            source=rng.choice(self.sources), native_id=f"bench-{n}", text=self.text(rng.randint(8, 60)),
            published_at=self.now - timedelta(seconds=rng.randrange(self.span_s)),
            site=f"site{rng.randrange(40)}", author_hash=self.authors[int(rng.paretovariate(1.2)) % len(self.authors)],
            lang="id", sentiment=Sentiment(label, round(rng.random(), 3)), kind=rng.choice(KINDS),
            topics=rng.sample(TOPICS, rng.randint(0, 2)), agencies=rng.sample(AGENCIES, rng.randint(0, 1)),
            region=Region(code, name), cluster_id=f"c{rng.randrange(max(1, n // 3 + 1))}", likes=rng.randrange(100),
        )

    def batches(self, count: int, batch: int = 20_000) -> Iterator[list[Post]]:
        for start in range(0, count, batch):
            yield [self.post(n) for n in range(start, min(count, start + batch))]
