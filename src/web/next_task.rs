//! A future that resolves in a new task of the main thread, so long work can be cut into
//! pieces the browser may interleave with input and painting.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{MessageChannel, MessageEvent};

/// One message channel for the page; each message resumes the oldest waiter.
struct Channel {
    channel: MessageChannel,
    waiters: Vec<js_sys::Function>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

thread_local! {
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
}

/// Resolves in a later task. A posted message rather than `setTimeout(0)`: chained timeouts are
/// clamped to 4 ms each after the fifth, which would add tens of ms to a rendering in steps.
pub async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let posted = CHANNEL.with(|c| {
            let mut c = c.borrow_mut();
            if c.is_none() {
                *c = make_channel();
            }
            let Some(ch) = c.as_mut() else {
                return false;
            };
            ch.waiters.push(resolve.clone());
            ch.channel.port2().post_message(&JsValue::UNDEFINED).is_ok()
        });
        if !posted {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn make_channel() -> Option<Channel> {
    let channel = MessageChannel::new().ok()?;
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|_| {
        let next = CHANNEL.with(|c| {
            c.borrow_mut()
                .as_mut()
                .and_then(|ch| (!ch.waiters.is_empty()).then(|| ch.waiters.remove(0)))
        });
        if let Some(resolve) = next {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    channel
        .port1()
        .set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Some(Channel {
        channel,
        waiters: Vec::new(),
        _on_message: on_message,
    })
}
