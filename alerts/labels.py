"""The words of alert emails in Bahasa Indonesia and English (templates pick by language)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "id": {
        "alert": "Lonjakan", "repeat": "Masih berlangsung", "resolved": "Sudah mereda", "watch": "Kata pantauan",
        "volume_spike": "Lonjakan volume", "negative_share": "Lonjakan sentimen negatif",
        "emerging_terms": "Istilah baru yang menonjol", "watch_terms": "Unggahan dengan kata pantauan",
        "voices": "suara unik", "posts": "unggahan", "share": "porsi negatif",
        "observed": "Teramati", "expected": "biasanya", "ratio": "kali lipat", "window": "Rentang waktu",
        "scope": "Cakupan", "sentiment": "Sentimen", "positive": "positif", "neutral": "netral", "negative": "negatif",
        "terms": "Kata pendorong", "regions": "Wilayah teratas", "sources": "Sumber teratas", "samples": "Contoh unggahan",
        "chart": "Unggahan per jam, 7 hari terakhir (area merah: rentang peringatan)",
        "amplification": "Kemungkinan amplifikasi terkoordinasi",
        "amplification_text": "{posts} unggahan dari hanya {voices} suara unik.",
        "amplification_cluster": "Teks serupa terbanyak: {cluster_posts} unggahan dari {cluster_accounts} akun.",
        "amplification_author": "Satu akun mengunggah {author_posts} kali.",
        "amplification_note": "Unggahan berulang dihitung sebagai satu suara.",
        "open": "Buka di dasbor", "subject_one": "{title}", "subject_many": "{n} peringatan: {title}",
        "resolved_text": "Kondisi untuk aturan ini sudah tidak terpenuhi.",
        "footer": "Email otomatis dari Pantau. Teks unggahan sudah disamarkan (NIK, nomor telepon, email).",
        "severity_high": "tinggi", "severity_medium": "sedang", "severity": "Tingkat",
        "digest": "Ringkasan harian", "digest_subject": "Ringkasan harian {agency}, {date}",
        "volume": "Volume 24 jam", "vs_week": "rata-rata 7 hari", "alerts_sent": "Peringatan 24 jam terakhir",
        "none": "tidak ada", "test_subject": "Pantau: email uji", "test_body": "Email uji dari Pantau. Jika Anda menerimanya, pengiriman email berfungsi.",
    },
    "en": {
        "alert": "Spike", "repeat": "Still ongoing", "resolved": "Resolved", "watch": "Watch term",
        "volume_spike": "Volume spike", "negative_share": "Negative sentiment spike",
        "emerging_terms": "Emerging terms", "watch_terms": "Posts with watch terms",
        "voices": "unique voices", "posts": "posts", "share": "negative share",
        "observed": "Observed", "expected": "expected", "ratio": "times", "window": "Window",
        "scope": "Scope", "sentiment": "Sentiment", "positive": "positive", "neutral": "neutral", "negative": "negative",
        "terms": "Driving terms", "regions": "Top regions", "sources": "Top sources", "samples": "Sample posts",
        "chart": "Posts per hour, last 7 days (red area: alert window)",
        "amplification": "Possible coordinated amplification",
        "amplification_text": "{posts} posts from only {voices} unique voices.",
        "amplification_cluster": "Most repeated text: {cluster_posts} posts from {cluster_accounts} accounts.",
        "amplification_author": "One account posted {author_posts} times.",
        "amplification_note": "Repeated posts are counted as one voice.",
        "open": "Open in the dashboard", "subject_one": "{title}", "subject_many": "{n} alerts: {title}",
        "resolved_text": "The rule's condition no longer holds.",
        "footer": "Automatic email from Pantau. Post texts are masked (ID numbers, phone numbers, emails).",
        "severity_high": "high", "severity_medium": "medium", "severity": "Severity",
        "digest": "Daily digest", "digest_subject": "Daily digest {agency}, {date}",
        "volume": "Volume, 24 hours", "vs_week": "7-day average", "alerts_sent": "Alerts in the last 24 hours",
        "none": "none", "test_subject": "Pantau: test email", "test_body": "A test email from Pantau. If you received it, email delivery works.",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["id"])
