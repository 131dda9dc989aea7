//! A product opened: its offers with prices, purchase price, stock, unit, barcode, properties, images and a
//! link to the offer's leftovers per warehouse.

use super::{use_catalog, yes_no_cell};
use crate::api::product::{Product, ProductOffer};
use crate::catalog::export::{properties_text, property_text};
use crate::catalog::filter::leftovers_href;
use crate::i18n::Text;
use crate::link::web_link;
use crate::sheet::csv::format_number;
use crate::ui::components::table_scroll::TableScroll;
use crate::ui::locale::t;
use crate::ui::node::{el, td};
use leptos::prelude::*;
use leptos_router::components::A;

fn amount(value: Option<f64>) -> String {
    value.map(|v| format_number(v, false)).unwrap_or_default()
}

/// The offers of `product` as a table.
#[component]
pub fn OffersDetail(product: Product) -> impl IntoView {
    let product_properties = properties_text(&product.properties);
    let offers = product.offers;
    view! {
        <div class="cat-offers">
            {(!product_properties.is_empty()).then(|| view! {
                <p class="muted cat-product-properties">{t(Text::CatProperties)}": "{product_properties}</p>
            })}
            {if offers.is_empty() {
                view! { <p class="muted">{t(Text::CatNoOffers)}</p> }.into_any()
            } else {
                view! {
                    <TableScroll label=Text::CatColOffers>
                        <table class="cat-offers-table">
                            <thead><tr>
                                <th>"id"</th><th>{t(Text::CatColName)}</th><th>{t(Text::CatColArticle)}</th>
                                <th>"externalId"</th><th>"xmlId"</th><th>{t(Text::CatColPrice)}</th>
                                <th>{t(Text::CatPrices)}</th><th>{t(Text::CatPurchasePrice)}</th>
                                <th>{t(Text::CatColQuantity)}</th><th>{t(Text::CatUnit)}</th><th>{t(Text::CatBarcode)}</th>
                                <th>{t(Text::CatActive)}</th><th>{t(Text::CatProperties)}</th><th>{t(Text::CatImages)}</th>
                                <th>{t(Text::CatLeftovers)}</th>
                            </tr></thead>
                            <tbody>
                                {offers.into_iter().map(|offer| view! { <OfferRow offer/> }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn OfferRow(offer: ProductOffer) -> impl IntoView {
    let ctx = use_catalog();
    // The offer's own site, else the one the list is filtered by, else the session's.
    let site = offer
        .site
        .clone()
        .filter(|s| !s.is_empty())
        .or_else(|| {
            ctx.view
                .with_untracked(|v| Some(v.products.site.clone()).filter(|s| !s.is_empty()))
        })
        .or_else(|| ctx.session.site.get_untracked());
    let link = offer
        .external_id
        .clone()
        .filter(|e| !e.is_empty())
        .map(|external_id| {
            let href = leftovers_href(&external_id, site.as_deref());
            view! { <A href=href attr:class="cat-leftovers-link">{t(Text::CatLeftovers)}</A> }
                .into_any()
        });
    let unit = offer
        .unit
        .clone()
        .map(|u| if u.sym.is_empty() { u.name } else { u.sym });
    let prices = offer.prices.iter().map(|p| {
        el("div").text(format!(
            "{}: {}",
            p.price_type,
            format_number(p.price, false)
        ))
    });
    let properties = offer
        .properties
        .iter()
        .map(|(code, value)| el("div").text(format!("{code}: {}", property_text(value))));
    // Only web addresses: an image "link" from the CRM could be `javascript:`.
    let images = offer
        .images
        .iter()
        .filter_map(|src| web_link(src))
        .map(|src| {
            el("a")
                .attr("href", src)
                .attr("target", "_blank")
                .attr("rel", "noopener noreferrer")
                .child(
                    el("img")
                        .class("cat-thumb")
                        .attr("loading", "lazy")
                        .attr("src", src)
                        .attr("alt", offer.name.clone()),
                )
        });
    let link = match link {
        Some(link) => el("td").view(link),
        None => el("td").child(
            el("span")
                .class("muted")
                .tr_attr("title", Text::CatNoLink)
                .text("–"),
        ),
    };
    el("tr")
        .class("cat-offer")
        .attr("data-id", offer.id.to_string())
        .attr(
            "data-external-id",
            offer.external_id.clone().unwrap_or_default(),
        )
        .child(td("num", offer.id.to_string()))
        .child(td("", offer.name.clone()))
        .child(td(
            "cat-offer-article",
            offer.article.clone().unwrap_or_default(),
        ))
        .child(td(
            "cat-offer-external-id",
            offer.external_id.clone().unwrap_or_default(),
        ))
        .child(td(
            "cat-offer-xml-id",
            offer.xml_id.clone().unwrap_or_default(),
        ))
        .child(td("num cat-offer-price", amount(offer.price)))
        .child(el("td").class("cat-offer-prices").children(prices))
        .child(td(
            "num cat-offer-purchase-price",
            amount(offer.purchase_price),
        ))
        .child(td("num cat-offer-quantity", amount(offer.quantity)))
        .child(td("", unit.unwrap_or_default()))
        .child(td(
            "cat-offer-barcode",
            offer.barcode.clone().unwrap_or_default(),
        ))
        .child(yes_no_cell(offer.active))
        .child(el("td").class("cat-offer-properties").children(properties))
        .child(
            el("td")
                .class("cat-offer-images")
                .children(images.collect::<Vec<_>>()),
        )
        .child(link)
}
