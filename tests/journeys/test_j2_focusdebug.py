from participation.drafts.models import ClauseComment
from tests.browser.test_draft_pages import draft_site, sign_in, open_at  # noqa: F401
from tests.people.factories import UserFactory


def test_debug(draft_site, make_page):
    live_server, draft, comment = draft_site
    page, _ = make_page(width=375, height=812)
    sign_in(page, live_server, UserFactory())
    open_at(page, draft.clause_url(live_server, draft.article_1))
    page.locator('label:has(input[name="stance"][value="amend"])').click()
    box = page.locator("#id_proposed_text")
    print("VALUE", repr(box.input_value()[:40]))
    box.press("End")
    box.press_sequentially(" و گزارش")
    page.locator('.comment-form button[type="submit"]').click()
    page.wait_for_load_state("networkidle")
    print("URL", page.url)
    print("ACTIVE", page.evaluate("document.activeElement.outerHTML.slice(0,200)"))
    print("FOCUSMSG", page.evaluate("Array.from(document.querySelectorAll('[data-focus-message]')).map(e=>e.id)"))
    print("SCRIPTS", page.evaluate("Array.from(document.scripts).map(s=>s.src)"))
    page.evaluate("document.querySelector('[data-focus-message]').focus()")
    print("ACTIVE2", page.evaluate("document.activeElement.id"))
    page.screenshot(path="/tmp/j2dbg.png")
    assert False
