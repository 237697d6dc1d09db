//! `sdp` builds the System Design Platform course site. The pipeline reads top to bottom:
//! [`content`] loads pages, [`markdown`] renders each one, [`site`] checks the whole site and
//! assembles navigation, [`templates`] lays pages out, [`output`] writes the result.

pub mod content;
pub mod diagnostics;
pub mod diagram;
pub mod highlight;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod quiz;
pub mod site;
pub mod templates;
pub mod cli;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod widgets;
pub mod wasm;
