import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from pantau.post import InvalidPost, Post, Region, Sentiment, post_id

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


def make(**overrides) -> Post:
    values = dict(source="mastodon", native_id="https://mastodon.social/@a/1", text="Jalan rusak di Ungaran", published_at=NOW)
    values.update(overrides)
    return Post(**values)


def test_id_is_derived_from_source_and_native_id():
    assert make().id == post_id("mastodon", "https://mastodon.social/@a/1")
    assert make().id != make(source="x").id
    assert make().id != make(native_id="other").id


def test_id_is_stable_across_processes():
    code = "from pantau.post import post_id; print(post_id('playstore', 'gp:AOqpTOE'))"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout for _ in range(2)}
    assert runs == {post_id("playstore", "gp:AOqpTOE") + "\n"}


def test_valid_post_passes():
    assert make().validate() is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": ""}, "text"),
        ({"published_at": datetime(2026, 11, 20, 3, 0)}, "published_at"),
        ({"collected_at": datetime(2026, 11, 20, 3, 0)}, "collected_at"),
        ({"source": "friendster"}, "source"),
        ({"likes": -1}, "likes"),
        ({"rating": 7.0}, "rating"),
        ({"sentiment": Sentiment("angry", 0.5)}, "sentiment"),
        ({"sentiment": Sentiment("negative", 1.5)}, "sentiment"),
        ({"kind": "rant"}, "kind"),
    ],
)
def test_invalid_post_names_the_field(overrides, field):
    with pytest.raises(InvalidPost) as caught:
        make(**overrides).validate()
    assert caught.value.field == field
    assert field in str(caught.value)


def test_text_over_the_configured_size_is_rejected():
    post = make(text="a" * 101)
    with pytest.raises(InvalidPost, match="over the limit of 100"):
        post.validate(max_text_chars=100)
    assert make(text="a" * 100).validate(max_text_chars=100)


def test_tampered_id_is_rejected():
    post = make()
    post.id = "0" * 32
    with pytest.raises(InvalidPost) as caught:
        post.validate()
    assert caught.value.field == "id"


def test_round_trip_through_dict_keeps_everything():
    post = make(
        sentiment=Sentiment("negative", 0.91), kind="complaint", topics=["jalan"], agencies=["dpu-bina-marga"],
        region=Region("3322", "Kabupaten Semarang"), extra={"reply_text": "Terima kasih"},
        published_at=NOW.astimezone(timezone(timedelta(hours=7))),
    )
    again = Post.from_dict(post.to_dict())
    assert again == post
    assert again.published_at.utcoffset() == timedelta(hours=7)


def test_from_dict_rejects_unknown_and_missing_fields():
    data = make().to_dict()
    with pytest.raises(InvalidPost) as caught:
        Post.from_dict({**data, "colour": "red"})
    assert caught.value.field == "colour"
    del data["text"]
    with pytest.raises(InvalidPost) as caught:
        Post.from_dict(data)
    assert caught.value.field == "text"
    with pytest.raises(InvalidPost) as caught:
        Post.from_dict({**make().to_dict(), "published_at": "yesterday"})
    assert caught.value.field == "published_at"
