//! The widget contract and what every widget shares.
//!
//! A widget is a pure state machine: built from parameters ([`Widget::from_params`]), changed by
//! named events ([`Widget::update`]), drawn as an HTML string ([`Widget::view`]), and saved back
//! to parameters ([`Widget::to_params`]) so its state fits in a URL fragment. The same code runs
//! natively (tests, and the generator's pre-render at build time) and in the browser, where
//! [`export_widget!`] wraps it for wasm-bindgen.
//!
//! Markup conventions the browser loader relies on (`templates/static/widgets.js`):
//! - an element with `data-ev="name"` sends event `name` when clicked (buttons) or changed
//!   (inputs and selects), with its `data-arg` or its value (`true`/`false` for checkboxes);
//!   a button with `data-value-from="field"` sends the value of the element named `field`
//!   instead (a textarea to import, say);
//! - after each event the widget's body is drawn again and focus returns to the element with the
//!   same `data-ev` and `data-arg`, so keyboard users keep their place.

pub mod axis;
pub mod field;
pub mod format;
pub mod log;
pub mod markup;
pub mod params;
pub mod rng;
pub mod sim;
pub mod trig;

pub use log::Log;
pub use markup::Markup;
pub use params::{ParamError, Params};

pub trait Widget: Sized {
    /// The name authors write in ```` ```widget NAME ````.
    const NAME: &'static str;

    /// Build from parameters: the author's configuration, possibly overlaid by shared state.
    /// An error names the parameter and what is wrong with it.
    fn from_params(params: &Params) -> Result<Self, ParamError>;

    /// Parameters that rebuild the current state (written to the URL fragment to share it).
    fn to_params(&self) -> Params;

    /// Apply an event sent by the markup (`data-ev` name and its argument or value).
    fn update(&mut self, event: &str, value: &str);

    /// The widget's markup: controls, picture, numbers with their formulas, and a log in words.
    fn view(&self) -> String;

    /// Advance an animation by `dt_ms`; return whether the view changed. Widgets without
    /// animation keep this default.
    fn tick(&mut self, _dt_ms: f64) -> bool {
        false
    }
}

/// Build a widget from its configuration and an optional shared fragment. A fragment that is
/// malformed or out of range is ignored: the widget starts from its configuration and the second
/// value explains why, in words for the reader.
pub fn restore<W: Widget>(config: &str, fragment: &str) -> Result<(W, Option<String>), ParamError> {
    let base = Params::parse(config)?;
    if fragment.is_empty() {
        return Ok((W::from_params(&base)?, None));
    }
    let shared = Params::from_fragment(fragment).and_then(|shared| W::from_params(&base.overlaid(&shared)));
    match shared {
        Ok(w) => Ok((w, None)),
        Err(e) => Ok((
            W::from_params(&base)?,
            Some(format!("The shared link could not be used ({}), so this shows the starting state.", e)),
        )),
    }
}

/// Wrap a [`Widget`] for the browser: a `Handle` class with `new(config, fragment)`, `event`,
/// `view`, `fragment`, `notice` and `tick`. Expands to nothing outside WebAssembly.
#[macro_export]
macro_rules! export_widget {
    ($ty:ty) => {
        #[cfg(target_arch = "wasm32")]
        mod wasm_export {
            use wasm_bindgen::prelude::*;

            #[wasm_bindgen]
            pub struct Handle {
                widget: $ty,
                notice: Option<String>,
            }

            #[wasm_bindgen]
            impl Handle {
                #[wasm_bindgen(constructor)]
                pub fn new(config: &str, fragment: &str) -> Result<Handle, JsError> {
                    let (widget, notice) = $crate::restore::<$ty>(config, fragment).map_err(|e| JsError::new(&e.to_string()))?;
                    Ok(Handle { widget, notice })
                }
                pub fn event(&mut self, name: &str, value: &str) {
                    $crate::Widget::update(&mut self.widget, name, value);
                }
                pub fn view(&self) -> String {
                    $crate::Widget::view(&self.widget)
                }
                pub fn fragment(&self) -> String {
                    $crate::Widget::to_params(&self.widget).to_fragment()
                }
                pub fn notice(&self) -> Option<String> {
                    self.notice.clone()
                }
                pub fn tick(&mut self, dt_ms: f64) -> bool {
                    $crate::Widget::tick(&mut self.widget, dt_ms)
                }
            }
        }
    };
}

// A small allocator for the browser: dlmalloc, the default, is about 7 KB of each widget.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    // SAFETY: WebAssembly widgets run on one thread.
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
