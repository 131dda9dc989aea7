//! Component tests in headless Chromium: the app shell and small components, wired as in the browser.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos::task::tick;
use warehouse_panel::ui::components::pager::Pager;
use warehouse_panel::ui::components::progress::format_duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn container() -> web_sys::HtmlElement {
    let document = document();
    let el: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&el).unwrap();
    el
}

#[wasm_bindgen_test]
async fn app_mounts_with_navigation_and_switches_language() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), warehouse_panel::ui::app::App);
    tick().await;
    let nav = root
        .query_selector("nav.sidenav")
        .unwrap()
        .expect("navigation");
    assert_eq!(nav.query_selector_all("a").unwrap().length(), 6);
    let ru: web_sys::HtmlElement = root
        .query_selector(".lang-switch button[data-lang=ru]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    ru.click();
    tick().await;
    assert!(nav.text_content().unwrap().contains("Остатки"));
    let en: web_sys::HtmlElement = root
        .query_selector(".lang-switch button[data-lang=en]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    en.click();
    tick().await;
    assert!(nav.text_content().unwrap().contains("Stock"));
}

#[wasm_bindgen_test]
async fn pager_moves_between_pages_and_stops_at_the_ends() {
    let root = container();
    let page = RwSignal::new(1u32);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        view! {
            <Pager
                page=page.into()
                total_pages=Signal::derive(|| 3)
                limit=Signal::derive(|| 20)
                on_page=Callback::new(move |p| page.set(p))
                on_limit=Callback::new(|_| ())
            />
        }
    });
    tick().await;
    let button = |class: &str| -> web_sys::HtmlButtonElement {
        root.query_selector(class)
            .unwrap()
            .unwrap()
            .unchecked_into()
    };
    assert!(button(".pager-prev").disabled());
    button(".pager-next").click();
    tick().await;
    assert_eq!(page.get_untracked(), 2);
    button(".pager-next").click();
    tick().await;
    assert_eq!(page.get_untracked(), 3);
    assert!(button(".pager-next").disabled());
    assert!(root.text_content().unwrap().contains("Page 3 of 3"));
}

#[wasm_bindgen_test]
fn durations_read_like_a_clock() {
    assert_eq!(format_duration(83.0), "1:23");
    assert_eq!(format_duration(3723.0), "1:02:03");
    assert_eq!(format_duration(f64::NAN), "0:00");
}
