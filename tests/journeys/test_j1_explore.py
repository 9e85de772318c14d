import time
from tests.journeys.conftest import *  # noqa

def test_explore(seeded_site, make_page):
    t=time.time()
    page, _ = make_page()
    u = seeded_site.url
    page.goto(u + "/calls/student-culture-survey/")
    open("/tmp/j1/call_fa.html","w").write(page.content())
    page.goto(u + "/festival/")
    open("/tmp/j1/fest_fa.html","w").write(page.content())
    page.goto(u + "/en/calls/student-culture-survey/")
    open("/tmp/j1/call_en.html","w").write(page.content())
    page.goto(u + "/accounts/login/")
    open("/tmp/j1/login.html","w").write(page.content())
    page.goto(u + "/admin/login/")
    open("/tmp/j1/adminlogin.html","w").write(page.content())
    from wagtail.models import Page
    for p in Page.objects.all().order_by("path")[:60]:
        print(p.pk, p.depth, p.url_path, p.specific_class.__name__, p.locale.language_code, p.live)
    print("took", time.time()-t)
