from tests.dashboard.conftest import no_exception, texts
from dashboard import nav
def test_probe(env):
    env.add_users()
    for s in nav.discover():
        at = env.page(s.name, "admin").run()
        print("=====", s.name)
        print(texts(at))
        print("EXC", [e.value for e in at.exception])
