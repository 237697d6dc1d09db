//! A small HTML/SVG builder that escapes by construction: tag and attribute names are static
//! strings written by the widget's author, and every value or text passes through [`escape`].
//! Nothing from a parameter, a fragment or an event can become markup.

use std::fmt::Write as _;

#[derive(Default)]
pub struct Markup {
    out: String,
}

impl Markup {
    pub fn new() -> Markup {
        Markup { out: String::with_capacity(2048) }
    }

    /// `<tag a="v" ...>`.
    pub fn open(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            self.out.push(' ');
            self.out.push_str(name);
            self.out.push_str("=\"");
            escape_into(&mut self.out, value);
            self.out.push('"');
        }
        self.out.push('>');
        self
    }

    pub fn close(&mut self, tag: &'static str) -> &mut Self {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
        self
    }

    /// An element with text content: `<tag ...>text</tag>`.
    pub fn el(&mut self, tag: &'static str, attrs: &[(&'static str, &str)], text: &str) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }

    /// A void element (`<input>`, `<br>`) or a self-closed SVG shape (`<circle/>`).
    pub fn void(&mut self, tag: &'static str, attrs: &[(&'static str, &str)]) -> &mut Self {
        self.open(tag, attrs);
        if is_svg_shape(tag) {
            // `<circle ...>` then `</circle>` keeps HTML and SVG parsing alike.
            self.close(tag);
        }
        self
    }

    pub fn text(&mut self, text: &str) -> &mut Self {
        escape_into(&mut self.out, text);
        self
    }

    /// Formatted text, escaped like [`Markup::text`].
    pub fn textf(&mut self, args: std::fmt::Arguments) -> &mut Self {
        let mut s = String::new();
        let _ = s.write_fmt(args);
        self.text(&s)
    }

    /// A labelled `<select>` sending event `ev` with the value of the chosen option; `options`
    /// are (value, text) pairs.
    pub fn select<T: AsRef<str>>(&mut self, label: &str, ev: &'static str, options: &[(&str, T)], chosen: &str) -> &mut Self {
        self.open("label", &[]).text(label).text(" ");
        self.open("select", &[("data-ev", ev)]);
        for (value, text) in options {
            if *value == chosen {
                self.el("option", &[("value", value), ("selected", "")], text.as_ref());
            } else {
                self.el("option", &[("value", value)], text.as_ref());
            }
        }
        self.close("select").close("label")
    }

    /// A checkbox sending event `ev` with `arg` (when given) and its state; the caller labels it.
    pub fn checkbox(&mut self, ev: &'static str, arg: Option<&str>, on: bool) -> &mut Self {
        let mut attrs = vec![("type", "checkbox"), ("data-ev", ev)];
        if let Some(a) = arg {
            attrs.push(("data-arg", a));
        }
        if on {
            attrs.push(("checked", ""));
        }
        self.void("input", &attrs)
    }

    /// A chart's colour key: a swatch of each (class, label) followed by its label.
    pub fn legend(&mut self, items: &[(&str, &str)]) -> &mut Self {
        self.open("p", &[("class", "w-note")]);
        for (i, (class, label)) in items.iter().enumerate() {
            if i > 0 {
                self.text(" · ");
            }
            self.el("span", &[("class", &format!("w-swatch {class}")), ("aria-hidden", "true")], "").text(" ").text(label);
        }
        self.close("p")
    }

    pub fn finish(self) -> String {
        self.out
    }
}

fn is_svg_shape(tag: &str) -> bool {
    matches!(tag, "circle" | "line" | "rect" | "path" | "polyline" | "polygon" | "ellipse")
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attribute_values() {
        let mut m = Markup::new();
        m.open("p", &[("title", "\"><script>x</script>")]).text("<b>&'").close("p");
        assert_eq!(m.finish(), "<p title=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\">&lt;b&gt;&amp;&#39;</p>");
    }

    #[test]
    fn svg_shapes_are_closed() {
        let mut m = Markup::new();
        m.void("circle", &[("r", "2")]).void("input", &[("type", "range")]);
        assert_eq!(m.finish(), "<circle r=\"2\"></circle><input type=\"range\">");
    }

    #[test]
    fn select_marks_the_chosen_option_and_escapes() {
        let mut m = Markup::new();
        m.select("Mode", "mode", &[("a", "A <1>"), ("b", "B")], "b");
        assert_eq!(
            m.finish(),
            "<label>Mode <select data-ev=\"mode\"><option value=\"a\">A &lt;1&gt;</option><option value=\"b\" selected=\"\">B</option></select></label>"
        );
    }

    #[test]
    fn legend_lists_swatches_and_labels() {
        let mut m = Markup::new();
        m.legend(&[("w-c0", "p50"), ("w-c1", "p99")]);
        let html = m.finish();
        assert_eq!(html.matches("w-swatch").count(), 2);
        assert!(html.contains("w-c0") && html.contains("p50") && html.contains(" · "), "{html}");
    }

    #[test]
    fn checkbox_carries_its_event_argument_and_state() {
        let mut m = Markup::new();
        m.checkbox("row", Some("ttl"), true).checkbox("sticky", None, false);
        assert_eq!(
            m.finish(),
            "<input type=\"checkbox\" data-ev=\"row\" data-arg=\"ttl\" checked=\"\"><input type=\"checkbox\" data-ev=\"sticky\">"
        );
    }
}
