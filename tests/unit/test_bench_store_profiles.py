"""A store's perf samples folded into stacks and shares of its commands."""

from bench.store_profiles import folded, summary

SCRIPT = """\
\t  5a902b encoding/json.(*Decoder).Decode
\t  9fea0a github.com/FerretDB/FerretDB/internal/handler.(*Handler).MsgUpdate
\t  9fea0b github.com/FerretDB/FerretDB/internal/handler.(*Handler).MsgUpdate-fm
\t  1000aa github.com/FerretDB/FerretDB/internal/clientconn.(*conn).run

\t  5a902b encoding/json.(*Decoder).Decode
\t  9fea0a github.com/FerretDB/FerretDB/internal/handler.(*Handler).MsgUpdate
\t  9fea0b github.com/FerretDB/FerretDB/internal/handler.(*Handler).MsgUpdate-fm
\t  1000aa github.com/FerretDB/FerretDB/internal/clientconn.(*conn).run

\t  77aa00 github.com/FerretDB/FerretDB/internal/handler.(*Handler).MsgFind
\t  1000aa github.com/FerretDB/FerretDB/internal/clientconn.(*conn).run

\t  ffffff runtime.gcBgMarkWorker
"""


def test_samples_are_folded_root_first_and_counted():
    stacks = folded(SCRIPT)
    assert sum(stacks.values()) == 4
    root, *_, leaf = next(iter(stacks.most_common(1)))[0].split(";")
    assert root.endswith("clientconn.(*conn).run") and leaf == "encoding/json.(*Decoder).Decode"
    assert stacks.most_common(1)[0][1] == 2


def test_each_command_gets_its_share_and_the_rest_is_named():
    text = summary("store-intake", folded(SCRIPT))
    lines = text.splitlines()
    assert lines[0].startswith("store-intake: 4 samples")
    shares = {line.split()[0]: line.split()[-1] for line in lines[1:]}
    assert shares["MsgUpdate"] == "50.0%" and shares["MsgFind"] == "25.0%"
    assert shares["(no"] == "25.0%"
