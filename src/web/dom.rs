//! Small DOM helpers. CDR text only ever goes in through `text`/`set_text` (textContent) or
//! attributes, never as HTML.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, EventTarget, HtmlElement};

/// The page's document.
pub fn doc() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("the page has a document")
}

/// The element with this id (the skeleton in index.html guarantees the ids used here).
pub fn by_id(id: &str) -> Element {
    doc()
        .get_element_by_id(id)
        .unwrap_or_else(|| panic!("#{id} missing from index.html"))
}

/// A new element.
pub fn el(tag: &str) -> Element {
    doc().create_element(tag).expect("valid tag name")
}

/// A new element with a class.
pub fn el_class(tag: &str, class: &str) -> Element {
    let e = el(tag);
    e.set_class_name(class);
    e
}

/// A new element holding `text` as a text node, control, bidirectional and invisible
/// characters shown escaped ([`crate::display::visible`]).
pub fn el_text(tag: &str, class: &str, text: &str) -> Element {
    let e = el_class(tag, class);
    set_text(&e, text);
    e
}

/// Sets an element's text (a text node, never HTML), control, bidirectional and invisible
/// characters shown escaped: a right-to-left override would otherwise make `684` read `486`.
pub fn set_text(e: &Element, text: &str) {
    e.set_text_content(Some(&crate::display::visible(text)));
}

/// Sets an attribute (attribute values are never parsed as HTML).
pub fn attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// Appends a child.
pub fn add(parent: &Element, child: &Element) {
    let _ = parent.append_child(child);
}

/// Appends a text node (hidden characters shown escaped, as [`set_text`]).
pub fn add_text(parent: &Element, text: &str) {
    let _ = parent.append_child(&doc().create_text_node(&crate::display::visible(text)));
}

/// Removes every child.
pub fn clear(e: &Element) {
    e.set_text_content(None);
}

/// Shows or hides an element (the `hidden` attribute).
pub fn show(e: &Element, visible: bool) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        h.set_hidden(!visible);
    }
}

/// A button with a text label and a delegated action (`data-action`).
pub fn button(label: &str, action: &str) -> Element {
    let b = el_text("button", "", label);
    attr(&b, "type", "button");
    attr(&b, "data-action", action);
    b
}

/// Listens to an event for the page's lifetime.
pub fn on(target: &EventTarget, event: &str, f: impl FnMut(Event) + 'static) {
    let cb = Closure::<dyn FnMut(Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    cb.forget();
}

/// Parses an SVG document produced by the chart module (its text is already escaped) and
/// returns its root element, imported into the page.
pub fn svg_element(svg: &str) -> Option<Element> {
    let parser = web_sys::DomParser::new().ok()?;
    let d = parser
        .parse_from_string(svg, web_sys::SupportedType::ImageSvgXml)
        .ok()?;
    let root = d.document_element()?;
    if root.tag_name() != "svg" {
        return None;
    }
    doc()
        .import_node_with_deep(&root, true)
        .ok()?
        .dyn_into()
        .ok()
}
