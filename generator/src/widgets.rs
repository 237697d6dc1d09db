//! The widgets the course can place in a page, called natively at build time so each widget's
//! starting state is in the HTML before any WebAssembly loads.
//!
//! Adding a widget: create its crate under `widgets/` (see `widgets/availability`), add it to
//! `generator/Cargo.toml`, and add one line to [`REGISTRY`].

use widget_core::{Params, Widget};

type Render = fn(&Params) -> Result<String, widget_core::ParamError>;

fn render<W: Widget>(params: &Params) -> Result<String, widget_core::ParamError> {
    Ok(W::from_params(params)?.view())
}

/// Every widget by the name authors use, with its pre-render function.
pub const REGISTRY: &[(&str, Render)] = &[
    (availability::Availability::NAME, render::<availability::Availability>),
    (breaker::Breaker::NAME, render::<breaker::Breaker>),
    (cap::Cap::NAME, render::<cap::Cap>),
    (capacity::Capacity::NAME, render::<capacity::Capacity>),
    (cdn::Cdn::NAME, render::<cdn::Cdn>),
    (dnsttl::DnsTtl::NAME, render::<dnsttl::DnsTtl>),
    (drplanner::DrPlanner::NAME, render::<drplanner::DrPlanner>),
    (errorbudget::ErrorBudget::NAME, render::<errorbudget::ErrorBudget>),
    (estimate::Estimate::NAME, render::<estimate::Estimate>),
    (hashring::Ring::NAME, render::<hashring::Ring>),
    (journey::Journey::NAME, render::<journey::Journey>),
    (latency::Latency::NAME, render::<latency::Latency>),
    (loadbalancer::LoadBalancer::NAME, render::<loadbalancer::LoadBalancer>),
    (ratelimit::RateLimit::NAME, render::<ratelimit::RateLimit>),
    (retries::Retries::NAME, render::<retries::Retries>),
    (shedding::Shedding::NAME, render::<shedding::Shedding>),
    (tlshandshake::TlsHandshake::NAME, render::<tlshandshake::TlsHandshake>),
];

/// A widget that could not be placed: the message, and the line within the block when known.
#[derive(Debug)]
pub struct PlacementError {
    pub line: Option<usize>,
    pub message: String,
}

/// The starting markup of widget `name` configured by `config` (the block's `key: value` lines).
pub fn prerender(name: &str, config: &str) -> Result<String, PlacementError> {
    let Some((_, render)) = REGISTRY.iter().find(|(n, _)| *n == name) else {
        let known: Vec<&str> = REGISTRY.iter().map(|(n, _)| *n).collect();
        return Err(PlacementError { line: None, message: format!("unknown widget `{name}`; known widgets: {}", known.join(", ")) });
    };
    let params = Params::parse(config).map_err(|e| PlacementError { line: None, message: format!("widget `{name}`: {e}") })?;
    render(&params).map_err(|e| PlacementError {
        line: e.key.as_deref().and_then(|k| params.line_of(k)),
        message: format!("widget `{name}`: {e}"),
    })
}
