"""The behaviour suite's posts: small, hand-made, each there for a reason (see the comments).

Times are WIB (UTC+7); p1 (23:30) and p2 (00:30) sit on both sides of local midnight, which
in UTC is the same day (16:30 and 17:30 on 9 March).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from pantau.post import Post, Region, Sentiment

WIB = timezone(timedelta(hours=7))
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=WIB)


def _post(key, text, source, sentiment, kind, topics, agencies, region, when, author, cluster, title=None) -> Post:
    return Post(
        source=source, native_id=key, text=text, title=title, published_at=when, site=f"{source}.example",
        author_hash=author, lang="id", sentiment=Sentiment(sentiment, 0.9), kind=kind, topics=topics,
        agencies=agencies, region=Region(region, "Kota Semarang" if region == "3374" else "Kabupaten Kudus"),
        cluster_id=cluster, collected_at=NOW,
    )


DPU = "DPU Bina Marga"
POSTS = [
    _post("p1", "Jalan rusak parah di Jalan Pemuda, banyak lubang", "news", "negative", "complaint", ["jalan"], [DPU], "3374",
          datetime(2025, 3, 9, 23, 30, tzinfo=WIB), "a1", "c1"),
    _post("p2", "Jembatan Kaligawe rusak dan berbahaya", "playstore", "negative", "complaint", ["jalan"], [DPU], "3374",
          datetime(2025, 3, 10, 0, 30, tzinfo=WIB), "a2", "c2"),
    _post("p3", "Antre lama sekali di Samsat, pelayanan lambat", "playstore", "negative", "complaint", ["kependudukan"],
          ["Bapenda"], "3374", datetime(2025, 3, 10, 9, 0, tzinfo=WIB), "a3", "c3"),
    _post("p4", "Jalan tol macet total, rusak juga", "news", "negative", "complaint", ["jalan"], [DPU], "3319",
          datetime(2025, 3, 8, 10, 0, tzinfo=WIB), "a1", "c1"),
    _post("p5", "Terima kasih DPU, jalan sudah diperbaiki", "mastodon", "positive", "praise", ["jalan"], [DPU], "3374",
          datetime(2025, 3, 7, 15, 0, tzinfo=WIB), "a4", "c4"),
    _post("p6", "Kapan jembatan Banjir Kanal selesai dibangun?", "x", "neutral", "question", ["jalan"], [DPU], "3374",
          datetime(2025, 3, 6, 8, 0, tzinfo=WIB), "a5", "c5"),
    _post("p7", "Pelayanan puskesmas ramah dan cepat", "youtube", "positive", "praise", ["kesehatan"], ["Dinas Kesehatan"],
          "3319", datetime(2025, 3, 5, 11, 0, tzinfo=WIB), "a2", "c6"),
    _post("p8", "Banjir lagi di Kaligawe, jalan tergenang", "news", "negative", "complaint", ["banjir", "jalan"], ["BPBD"],
          "3374", datetime(2025, 3, 10, 7, 0, tzinfo=WIB), "a6", "c7"),
    _post("p9", "banjir kaligawe jalan tergenang air", "mastodon", "negative", "complaint", ["banjir"], ["BPBD"], "3374",
          datetime(2025, 3, 10, 7, 30, tzinfo=WIB), "a7", "c7"),
    _post("p10", "Antrean e-KTP di Disdukcapil lama", "playstore", "negative", "complaint", ["kependudukan"], ["Disdukcapil"],
          "3319", datetime(2024, 11, 1, 10, 0, tzinfo=WIB), "a3", "c8"),
    _post("p11", "Proyek jembatan baru dimulai bulan ini", "news", "neutral", "info", ["jalan"], [DPU], "3374",
          datetime(2025, 3, 3, 9, 0, tzinfo=WIB), "a8", "c9", title="Pembangunan dimulai"),
    _post("p12", "Jalanan berlubang dekat pasar", "bluesky", "negative", "complaint", ["jalan"], [DPU], "3374",
          datetime(2025, 3, 9, 12, 0, tzinfo=WIB), "a9", "c10"),
]
BY_KEY = {p.native_id: p for p in POSTS}


def keys(posts) -> set[str]:
    return {p.native_id for p in posts}
