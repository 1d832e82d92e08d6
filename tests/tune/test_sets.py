from auctool.formats.instances import load_instance_set
from auctool.formats.srpk import read_srpk


def test_sets_record_how_they_were_made_and_hold_out_their_splits(synth_sets):
    a, b = (load_instance_set(synth_sets[k].root) for k in ("a", "b"))
    assert a.meta["cutoff"] == 0.5 and "packing_sequence(seeds=[0]" in a.meta["created_by"]
    assert a.constraints_dir == (a.root / "../world").resolve()
    assert len(a) == len(b) == 12
    assert all(e.answer in ("SAT", "UNSAT", "TIMEOUT") for e in a.entries)
    problems = [read_srpk(p) for p in a.paths()]
    assert {p.interference for p in problems} == {"world"} and {p.cutoff for p in problems} == {0.5}
    # a sequence adds one station per problem, each with the packed ones as its previous assignment
    assert [len(p) for p in problems] == list(range(1, 13))
    assert all(len(p.new_stations) == 1 for p in problems)
    # the two splits are different sequences (held out), on the same world
    firsts = {read_srpk(p).stations for p in (a.paths()[3], b.paths()[3])}
    assert len(firsts) == 2
