"""The batch tagger with real components: a tiny transformers sentiment model the test builds
and saves, the kind rules, the bundled taxonomy and gazetteer, and a SQLite dedup index."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pantau.config import load_config
from pantau.post import Post, Region
from nlp.dedup import DedupIndex
from nlp.kind import KindClassifier
from nlp.normalize import normalize
from nlp.sentiment import SentimentModel
from nlp.tagger import Tagger
from nlp.taxonomy import load_taxonomy

WORDS = "jalan rusak parah tidak diperbaiki bagus terima kasih pelayanan cepat banjir air mati".split()
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def tiny_sentiment_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real (untrained, seeded) BERT classifier and tokenizer saved as a local HF directory."""
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    folder = tmp_path_factory.mktemp("tiny-sentiment")
    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS])}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]",
                                        cls_token="[CLS]", sep_token="[SEP]", model_max_length=64)
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64,
                        id2label={0: "negative", 1: "neutral", 2: "positive"},
                        label2id={"negative": 0, "neutral": 1, "positive": 2})
    BertForSequenceClassification(config).save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    (folder / "pantau.json").write_text('{"version": "tiny-test-1", "bf16": false}', encoding="utf-8")
    return folder


@pytest.fixture
def tagger(tiny_sentiment_dir: Path, tmp_path: Path) -> Tagger:
    return Tagger(
        sentiment=SentimentModel(tiny_sentiment_dir, threads=1),
        kind=KindClassifier(None, "rules"),
        taxonomy=load_taxonomy(),
        dedup=DedupIndex(tmp_path / "dedup"),
    )


def post(native_id: str, text: str, title: str | None = None) -> Post:
    return Post(source="import", native_id=native_id, text=text, title=title, published_at=NOW)


def test_tags_every_field_in_one_batch(tagger: Tagger) -> None:
    posts = [
        post("1", "Jalan di Tembalang rusak parah, gak diperbaiki2. Hub 0812-3456-7890"),
        post("2", "Kapan PDAM Solo ngalirin air lagi? Udah 3 hari mati"),
        post("3", "The road in Kab. Semarang is broken, please fix it"),
        post("4", "dalane rusak tenan ora didandani"),
    ]
    tagged = tagger.tag(posts)
    assert [p.id for p in tagged] == [p.id for p in posts]
    assert tagged[0].text == "Jalan di Tembalang rusak parah, gak diperbaiki2. Hub [TELEPON]"
    assert [p.lang for p in tagged] == ["id", "id", "en", "jv"]
    assert [p.region for p in tagged] == [
        Region("3374", "Kota Semarang"), Region("3372", "Kota Surakarta"), Region("3322", "Kabupaten Semarang"), None,
    ]
    assert tagged[0].kind == "complaint" and tagged[1].kind == "question"
    for p in tagged:
        assert p.sentiment is not None and p.sentiment.label in ("positive", "neutral", "negative")
        assert 0.0 <= p.sentiment.score <= 1.0
        assert p.model_version == "sentiment@tiny-test-1+kind@KindClassifier:rules"
        assert p.cluster_id == p.id
        p.validate()


def test_models_read_the_masked_normalised_text(tagger: Tagger, tiny_sentiment_dir: Path) -> None:
    texts = ["pelayanan cepat, terima kasih 👍", "banjir lagi, air mati parah bgt"]
    tagged = tagger.tag([post(str(i), t) for i, t in enumerate(texts)])
    direct = SentimentModel(tiny_sentiment_dir, threads=1).predict([normalize(t) for t in texts], normalized=True)
    assert [(p.sentiment.label, p.sentiment.score) for p in tagged] == [(s.label, s.score) for s in direct]


class _Recording:
    """The real sentiment model, remembering which texts it was asked about."""

    def __init__(self, model: SentimentModel) -> None:
        self.model, self.version, self.seen = model, model.version, []

    def predict(self, texts, *, normalized=False):
        self.seen.append(list(texts))
        return self.model.predict(texts, normalized=normalized)


def test_sentiment_runs_once_per_distinct_text_of_a_batch(tiny_sentiment_dir: Path, tmp_path: Path) -> None:
    recording = _Recording(SentimentModel(tiny_sentiment_dir, threads=1))
    tagger = Tagger(sentiment=recording, dedup=DedupIndex(tmp_path / "dedup"))
    texts = ["jalan rusak parah", "JALAN RUSAK PARAH!!", "pelayanan cepat", "jalan rusak parah"]
    tagged = tagger.tag([post(str(i), t) for i, t in enumerate(texts)])
    assert recording.seen == [["jalan rusak parah", "jalan rusak parah !", "pelayanan cepat"]]
    assert tagged[0].sentiment == tagged[3].sentiment
    direct = recording.model.predict([normalize(t) for t in texts], normalized=True)
    assert [(p.sentiment.label, p.sentiment.score) for p in tagged] == [(d.label, d.score) for d in direct]


def test_the_tagger_times_each_stage(tagger: Tagger) -> None:
    from nlp.tagger import STAGES

    assert tagger.posts_tagged == 0 and set(tagger.stage_seconds) == set(STAGES)
    tagger.tag([post("1", "Jalan di Tembalang rusak parah"), post("2", "pelayanan cepat")])
    tagger.tag([post("3", "air mati lagi")])
    assert tagger.posts_tagged == 3
    assert all(seconds > 0 for seconds in tagger.stage_seconds.values())


def test_topics_and_their_agencies(tagger: Tagger) -> None:
    taxonomy = load_taxonomy()
    tagged = tagger.tag([post("1", "Jalan berlubang di depan pasar, aspal rusak"), post("2", "selamat pagi semua")])
    assert tagged[0].topics, "a road complaint has a topic"
    assert tagged[0].agencies == taxonomy.agencies_for(tagged[0].topics) and tagged[0].agencies
    assert tagged[1].topics == [] and tagged[1].agencies == []


def test_title_is_masked_and_read(tagger: Tagger) -> None:
    tagged = tagger.tag([post("1", "Warga mengeluh.", title="Kontak pengaduan budi@example.com di Kota Tegal")])
    assert tagged[0].title == "Kontak pengaduan [EMAIL] di Kota Tegal"
    assert tagged[0].region == Region("3376", "Kota Tegal")


def test_campaign_posts_share_a_cluster_across_batches(tagger: Tagger) -> None:
    template = "Tolong perbaiki jalan di desa {} sudah rusak parah berbulan-bulan tidak ada perbaikan #JalanRusak"
    first = tagger.tag([post("a", template.format("Sumberejo"))])
    second = tagger.tag([post("b", template.format("Karangrejo")), post("c", "harga beras naik terus di pasar")])
    assert second[0].cluster_id == first[0].cluster_id == first[0].id
    assert second[1].cluster_id == second[1].id
    assert tagger.tag([post("b", template.format("Karangrejo"))])[0].cluster_id == first[0].id  # replay


def test_inputs_are_not_modified(tagger: Tagger) -> None:
    original = post("1", "NIK 3374010101010001 jalan rusak")
    before = dataclasses.asdict(original)
    tagger.tag([original])
    assert dataclasses.asdict(original) == before


def test_plates_follow_the_privacy_setting(tiny_sentiment_dir: Path) -> None:
    keep = Tagger(mask_plates=False).tag([post("1", "motor H 1234 AB hilang, NIK 3374010101010001")])[0]
    assert keep.text == "motor H 1234 AB hilang, NIK [NIK]"
    assert keep.sentiment is None and keep.model_version == "rules"


def test_empty_batch() -> None:
    assert Tagger().tag([]) == []


def _config(tmp_path: Path, sentiment_dir: Path, extra: str = "") -> Path:
    config_file = tmp_path / "pantau.toml"
    config_file.write_text(
        f'[paths]\ndata_dir = "data"\n[model]\nsentiment_model = "{sentiment_dir}"\nthreads = 1\n{extra}',
        encoding="utf-8",
    )
    return config_file


def test_from_config_uses_the_configured_model_and_paths(tiny_sentiment_dir: Path, tmp_path: Path) -> None:
    gazetteer = tmp_path / "regions.json"
    gazetteer.write_text(
        '{"regions": [{"code": "3471", "name": "Kota Yogyakarta", "base": "Yogyakarta", "kind": "kota",'
        ' "aliases": ["Jogja"], "districts": []}]}',
        encoding="utf-8",
    )
    extra = '[taxonomy]\ngazetteer = "regions.json"\n[privacy]\nmask_plates = false\n'
    cfg = load_config(_config(tmp_path, tiny_sentiment_dir, extra), env={})
    tagger = Tagger.from_config(cfg, kind=KindClassifier(None, "rules"))
    tagged = tagger.tag([post("1", "Jalan di Jogja rusak, motor AB 1234 XY jatuh")])[0]
    assert tagged.region == Region("3471", "Kota Yogyakarta")
    assert tagged.text == "Jalan di Jogja rusak, motor AB 1234 XY jatuh"
    assert tagged.sentiment is not None and tagged.model_version.startswith("sentiment@tiny-test-1")
    assert (tmp_path / "data" / "nlp" / "dedup" / "dedup.sqlite").is_file()


def test_from_config_rejects_unknown_components(tmp_path: Path, tiny_sentiment_dir: Path) -> None:
    with pytest.raises(TypeError, match="unknown tagger components: tokenizer"):
        Tagger.from_config(load_config(_config(tmp_path, tiny_sentiment_dir), env={}), tokenizer=object())


def test_from_config_builds_the_shipped_pipeline(tiny_sentiment_dir: Path, tmp_path: Path) -> None:
    """Kind and topic models as shipped (their rules alone while a model folder is missing)."""
    tagger = Tagger.from_config(load_config(_config(tmp_path, tiny_sentiment_dir), env={}))
    tagged = tagger.tag([post("1", "Jalan di Ungaran berlubang dan aspal rusak, kapan diperbaiki?")])[0]
    assert tagged.kind in ("complaint", "question")
    assert "roads" in tagged.topics and "dpu-bina-marga" in tagged.agencies
    assert tagged.region == Region("3322", "Kabupaten Semarang")
    assert tagged.model_version.startswith("sentiment@tiny-test-1+kind@") and "+topics@" in tagged.model_version
