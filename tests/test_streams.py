"""The stream guard, and the JSON records written past it as bytes.

A JSON report of ten thousand disputes writes 50 MB of records that ``json_text`` has
already made safe; they go straight to the stream's binary buffer, in their place between
the text written before and after them.
"""

from __future__ import annotations

import io

from factcheck.reporters.streams import GuardedStream, writer_of_json


def guarded() -> tuple[GuardedStream, io.BytesIO]:
    raw = io.BytesIO()
    return GuardedStream(io.TextIOWrapper(raw, encoding="utf-8"), None), raw


def test_json_bytes_land_between_the_text_around_them():
    stream, raw = guarded()
    stream.write('{"disputes": [\n  ')
    writer_of_json(stream)('{"id":"a","quote":"“x”"}'.encode())
    stream.write("\n ]}\n")
    stream.finish()
    assert raw.getvalue().decode() == '{"disputes": [\n  {"id":"a","quote":"“x”"}\n ]}\n'


def test_text_held_back_before_json_bytes_is_still_guarded():
    stream, raw = guarded()
    stream.write("x\n  ::error::forged ")  # the guard holds the unfinished line back
    writer_of_json(stream)(b'{"id":"a"}')
    stream.finish()
    output = raw.getvalue().decode()
    assert "::error" not in output and ":\u200b:error" in output
    assert output.endswith('{"id":"a"}')


def test_a_stream_without_a_binary_buffer_gets_text():
    stream = io.StringIO()
    stream.write("[")
    writer_of_json(stream)('{"id":"ä"}'.encode())
    assert stream.getvalue() == '[{"id":"ä"}'
