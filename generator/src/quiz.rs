//! Quizzes: the question bank in `content/quizzes/<module-folder>.yaml`, checked and turned into
//! question markup with answer keys.
//!
//! Each question becomes a `<div class="question">` that reads well without JavaScript (the
//! explanation is a closed `<details>`); its inputs sit in a `<form>` of their own, so the
//! prompt and explanation stay outside it and are searchable (Pagefind skips forms), and an answer key ([`quiz::key::Key`], the type the
//! browser grades with). The markup appears in three places: the module's quiz page, quick
//! checks inside topic pages (```` ```quiz ```` blocks), and the review page (from
//! `quizzes/bank.json`).

use crate::content::{Difficulty, module_number};
use crate::diagnostics::Diagnostic;
use crate::highlight::escape;
use crate::markdown::{self, PageLink};
use quiz::key::{Key, Tolerance};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Type {
    Single,
    Multiple,
    Order,
    Numeric,
    Predict,
}

impl Type {
    fn label(self) -> &'static str {
        match self {
            Type::Single => "Single choice",
            Type::Multiple => "Select all that apply",
            Type::Order => "Put in order",
            Type::Numeric => "Estimate",
            Type::Predict => "Predict, then run",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSrc {
    questions: Vec<QuestionSrc>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionSrc {
    id: String,
    #[serde(rename = "type")]
    kind: Type,
    difficulty: Difficulty,
    prompt: String,
    #[serde(default)]
    options: Vec<OptionSrc>,
    #[serde(default)]
    items: Vec<String>,
    answer: Option<f64>,
    tolerance: Option<ToleranceSrc>,
    unit: Option<String>,
    widget: Option<String>,
    config: Option<String>,
    explanation: String,
    teaches: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ToleranceSrc {
    Number(f64),
    Text(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionSrc {
    text: String,
    #[serde(default)]
    correct: bool,
}

/// A checked question, rendered.
#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub kind: Type,
    pub difficulty: Difficulty,
    /// Module folder, such as `01-foundations`.
    pub module: String,
    pub key: Key,
    /// The question's form (see the module docs).
    pub html: String,
    /// The page and anchor that teach it (checked against the site).
    pub teaches: PageLink,
    /// Links in its text, checked like a page's.
    pub links: Vec<PageLink>,
    /// Predict questions: the widget they run.
    pub widget: Option<String>,
    pub path: PathBuf,
    pub line: usize,
}

/// Every question, by module folder, in file order.
#[derive(Debug, Clone, Default)]
pub struct Bank {
    pub modules: BTreeMap<String, Vec<Question>>,
    /// Changes whenever a quiz file changes.
    pub hash: u64,
}

impl Question {
    /// The widget a predict question runs.
    pub fn widget_name(&self) -> Option<&str> {
        self.widget.as_deref()
    }
}

impl Bank {
    pub fn get(&self, id: &str) -> Option<&Question> {
        self.modules.values().flatten().find(|q| q.id == id)
    }

    pub fn len(&self) -> usize {
        self.modules.values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// `quizzes/bank.json`: every question's markup, key, module and where it is taught, by id.
    pub fn json(&self, base: &str) -> String {
        let map: serde_json::Map<String, serde_json::Value> = self
            .modules
            .values()
            .flatten()
            .map(|q| {
                (q.id.clone(), serde_json::json!({ "module": q.module, "html": q.html, "key": q.key, "teaches": teaches_url(base, &q.teaches) }))
            })
            .collect();
        serde_json::Value::Object(map).to_string()
    }
}

fn teaches_url(base: &str, link: &PageLink) -> String {
    format!("{base}{}{}", crate::content::url_of(&link.target), link.anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default())
}

/// Read `content/quizzes/*.yaml`. Every problem is reported with its file and line.
pub fn load(root: &Path, base: &str) -> Result<Bank, Vec<Diagnostic>> {
    let dir = root.join("content/quizzes");
    let mut bank = Bank::default();
    let Ok(entries) = std::fs::read_dir(&dir) else { return Ok(bank) };
    let mut files: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    files.sort();
    let mut errors = vec![];
    let mut hasher = crate::output::Fnv::default();
    let mut seen: HashMap<String, (PathBuf, usize)> = HashMap::new();
    for file in files {
        let rel = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
        let name = file.file_name().unwrap_or_default().to_string_lossy().to_string();
        let Some(folder) = name.strip_suffix(".yaml").filter(|f| module_number(f).is_some()) else {
            errors.push(Diagnostic::file(&rel, "quiz files are named after their module folder, such as content/quizzes/01-foundations.yaml"));
            continue;
        };
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                errors.push(Diagnostic::file(&rel, format!("cannot read as UTF-8 text: {e}")));
                continue;
            }
        };
        std::hash::Hasher::write(&mut hasher, text.as_bytes());
        match load_file(&rel, folder, &text, base) {
            Ok(questions) => {
                for q in &questions {
                    if let Some((other, line)) = seen.insert(q.id.clone(), (rel.clone(), q.line)) {
                        errors.push(Diagnostic::new(&rel, q.line, 1, format!("question id `{}` is also used at {}:{line}; ids are unique across all quizzes", q.id, other.display())));
                    }
                }
                bank.modules.insert(folder.to_string(), questions);
            }
            Err(e) => errors.extend(e),
        }
    }
    bank.hash = std::hash::Hasher::finish(&hasher);
    if errors.is_empty() { Ok(bank) } else { Err(errors) }
}

fn load_file(path: &Path, folder: &str, text: &str, base: &str) -> Result<Vec<Question>, Vec<Diagnostic>> {
    let src: FileSrc = serde_saphyr::from_str(text).map_err(|e| {
        let (line, col) = e.location().map_or((1, 1), |l| (l.line().max(1) as usize, l.column().max(1) as usize));
        let mut message = e.without_snippet().to_string();
        if let Some(i) = message.find(" at line ") {
            message.truncate(i);
        }
        vec![Diagnostic::new(path, line, col, format!("quiz: {}", message.lines().next().unwrap_or("").trim()))]
    })?;
    let key = format!("quizzes/{folder}.yaml");
    let mut errors = vec![];
    let mut out = vec![];
    let mut after = 0;
    for q in src.questions {
        let line = id_line(text, &q.id, after);
        after = line;
        let lines = Lines { id: line, teaches: field_line(text, line, "teaches"), widget: field_line(text, line, "widget") };
        match question(q, path, &key, folder, lines, base) {
            Ok(q) => out.push(q),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Lines of a question's fields, for messages.
struct Lines {
    id: usize,
    teaches: usize,
    widget: usize,
}

/// The line of `field:` in the question starting at line `start` (else `start`).
fn field_line(text: &str, start: usize, field: &str) -> usize {
    text.lines()
        .enumerate()
        .skip(start)
        .take_while(|(_, l)| !l.trim_start().starts_with("- id:"))
        .find(|(_, l)| l.trim_start().strip_prefix(field).is_some_and(|r| r.starts_with(':')))
        .map_or(start, |(i, _)| i + 1)
}

/// The line of `id: <id>` in the file, for messages about that question.
fn id_line(text: &str, id: &str, after: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ").trim();
            l.strip_prefix("id:").is_some_and(|v| v.trim().trim_matches(['"', '\'']) == id)
        })
        .map_or(1, |(i, _)| i + 1)
}

fn question(q: QuestionSrc, path: &Path, key: &str, module: &str, lines: Lines, base: &str) -> Result<Question, Vec<Diagnostic>> {
    let line = lines.id;
    let mut errors = vec![];
    let mut err = |at: usize, m: String| errors.push(Diagnostic::new(path, at, 1, format!("question `{}`: {m}", q.id)));
    if !crate::content::is_slug(&q.id) {
        err(line, "an id is a lowercase-hyphen slug, such as `availability-serial-chain`".into());
    }
    let mut links = vec![];
    let mut md = |text: &str, inline: bool| -> (String, Vec<Diagnostic>) {
        let cx = markdown::Context { path, key, line_offset: line, base };
        let r = markdown::render(text, &cx);
        links.extend(r.links);
        let html = r.html.trim().to_string();
        let html = if inline { html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>")).map(str::to_string).unwrap_or(html) } else { html };
        (html, r.errors)
    };
    let mut md_errors = vec![];
    let mut render = |text: &str, inline: bool| {
        let (html, e) = md(text, inline);
        md_errors.extend(e);
        html
    };
    let prompt = render(&q.prompt, false);
    let explanation = render(&q.explanation, false);
    let options: Vec<String> = q.options.iter().map(|o| render(&o.text, true)).collect();
    let items: Vec<String> = q.items.iter().map(|i| render(i, true)).collect();
    let correct: Vec<usize> = q.options.iter().enumerate().filter(|(_, o)| o.correct).map(|(i, _)| i).collect();

    let choice = matches!(q.kind, Type::Single | Type::Multiple | Type::Predict);
    if choice && !(2..=6).contains(&options.len()) {
        err(line, format!("a choice question has 2 to 6 `options` (has {})", options.len()));
    }
    if !choice && !options.is_empty() {
        err(line, "`options` belong to single, multiple and predict questions".into());
    }
    if q.kind != Type::Order && !items.is_empty() {
        err(line, "`items` belong to order questions".into());
    }
    if q.kind != Type::Numeric && (q.answer.is_some() || q.tolerance.is_some() || q.unit.is_some()) {
        err(line, "`answer`, `tolerance` and `unit` belong to numeric questions".into());
    }
    if q.kind != Type::Predict && (q.widget.is_some() || q.config.is_some()) {
        err(line, "`widget` and `config` belong to predict questions".into());
    }
    let key = match q.kind {
        Type::Single | Type::Predict => {
            if correct.len() != 1 {
                err(line, format!("a {} question has exactly one option with `correct: true` (has {})", if q.kind == Type::Single { "single-choice" } else { "predict" }, correct.len()));
            }
            Key::Single { options: options.len(), correct: correct.first().copied().unwrap_or(0) }
        }
        Type::Multiple => Key::Multiple { options: options.len(), correct: correct.clone() },
        Type::Order => {
            if !(3..=8).contains(&items.len()) {
                err(line, format!("an order question lists 3 to 8 `items` in their right order (has {})", items.len()));
            }
            Key::Order { items: items.len() }
        }
        Type::Numeric => {
            let tolerance = match &q.tolerance {
                None => {
                    err(line, "a numeric question needs a `tolerance`: a number (± that much) or a percentage such as \"10%\"".into());
                    Tolerance::Absolute(0.0)
                }
                Some(ToleranceSrc::Number(x)) if *x > 0.0 && x.is_finite() => Tolerance::Absolute(*x),
                Some(ToleranceSrc::Text(t)) if Tolerance::parse(t).is_some() => Tolerance::parse(t).unwrap(),
                Some(_) => {
                    err(line, "`tolerance` must be a positive number or a percentage such as \"10%\"".into());
                    Tolerance::Absolute(0.0)
                }
            };
            let answer = q.answer.unwrap_or_else(|| {
                err(line, "a numeric question needs an `answer`".into());
                0.0
            });
            Key::Numeric { answer, tolerance }
        }
    };
    if q.kind != Type::Numeric || q.answer.is_some() {
        if let Some(p) = key.problem() {
            err(line, p);
        }
    }
    let widget = match (q.kind, &q.widget, &q.config) {
        (Type::Predict, Some(name), config) => match crate::widgets::prerender(name, config.as_deref().unwrap_or("")) {
            Ok(view) => Some(widget_figure(&q.id, name, config.as_deref().unwrap_or(""), &view)),
            Err(e) => {
                err(lines.widget, e.message);
                None
            }
        },
        (Type::Predict, None, _) => {
            err(line, "a predict question names the `widget` the learner runs after predicting, with its `config`".into());
            None
        }
        _ => None,
    };
    let teaches = parse_teaches(&q.teaches, key_path(module), lines.teaches);
    if teaches.is_none() {
        err(lines.teaches, format!("`teaches` must be the page and section that teach this, such as `../modules/{module}/page.md#section` (got `{}`)", q.teaches));
    }
    errors.extend(md_errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let teaches = teaches.expect("checked above");
    let question = Question {
        html: String::new(),
        id: q.id,
        kind: q.kind,
        difficulty: q.difficulty,
        module: module.to_string(),
        key,
        teaches,
        links,
        widget: if q.kind == Type::Predict { q.widget.clone() } else { None },
        path: path.to_path_buf(),
        line,
    };
    let html = form(&question, &prompt, &options, &items, q.unit.as_deref(), widget.as_deref(), &explanation, base);
    Ok(Question { html, ..question })
}

fn key_path(module: &str) -> String {
    format!("quizzes/{module}.yaml")
}

fn parse_teaches(teaches: &str, from: String, line: usize) -> Option<PageLink> {
    let (path, anchor) = teaches.split_once('#')?;
    if !path.ends_with(".md") || anchor.is_empty() {
        return None;
    }
    let target = markdown::resolve(&from, path)?;
    Some(PageLink { target, anchor: Some(anchor.to_string()), line, col: 1 })
}

/// A predict question's widget, hidden until the learner has committed to a prediction.
fn widget_figure(id: &str, name: &str, config: &str, view: &str) -> String {
    format!(
        "<figure class=\"widget\" id=\"w-{name}-q-{id}\" data-widget=\"{name}\" data-config=\"{}\" data-pagefind-ignore=\"all\">\
         <div class=\"widget-body\">{view}</div>\
         <figcaption class=\"widget-bar\"><button type=\"button\" class=\"widget-share\" hidden>Share this state</button>\
         <span class=\"widget-status\" role=\"status\"></span></figcaption></figure>",
        escape(config.trim_end())
    )
}

#[allow(clippy::too_many_arguments)]
fn form(q: &Question, prompt: &str, options: &[String], items: &[String], unit: Option<&str>, widget: Option<&str>, explanation: &str, base: &str) -> String {
    let id = &q.id;
    let difficulty = match q.difficulty {
        Difficulty::Beginner => "beginner",
        Difficulty::Intermediate => "intermediate",
        Difficulty::Advanced => "advanced",
    };
    let kind = serde_json::to_value(q.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let mut h = format!(
        "<div class=\"question\" role=\"group\" aria-labelledby=\"q-{id}-prompt\" id=\"q-{id}\" data-question=\"{id}\" data-type=\"{kind}\" data-module=\"{}\" data-key=\"{}\">\
         <p class=\"q-meta\"><span class=\"badge badge-{difficulty}\">{difficulty}</span> {}</p>\
         <div class=\"q-prompt\" id=\"q-{id}-prompt\">{prompt}</div><form class=\"q-form\">",
        q.module,
        escape(&serde_json::to_string(&q.key).expect("keys serialize")),
        q.kind.label()
    );
    match q.kind {
        Type::Single | Type::Predict | Type::Multiple => {
            let input = if q.kind == Type::Multiple { "checkbox" } else { "radio" };
            h.push_str(&format!("<fieldset class=\"q-options\" aria-labelledby=\"q-{id}-prompt\">"));
            for (i, o) in options.iter().enumerate() {
                h.push_str(&format!(
                    "<label class=\"q-option\" data-index=\"{i}\"><input type=\"{input}\" name=\"q-{id}\" value=\"{i}\"> <span>{o}</span></label>"
                ));
            }
            h.push_str("</fieldset>");
        }
        Type::Order => {
            h.push_str(&format!("<ol class=\"q-order\" aria-labelledby=\"q-{id}-prompt\">"));
            for (i, item) in items.iter().enumerate() {
                h.push_str(&format!(
                    "<li class=\"q-item\" data-index=\"{i}\"><span class=\"q-item-text\">{item}</span>\
                     <span class=\"q-move\"><button type=\"button\" data-move=\"up\" aria-label=\"Move up\">↑</button>\
                     <button type=\"button\" data-move=\"down\" aria-label=\"Move down\">↓</button></span></li>"
                ));
            }
            h.push_str("</ol>");
        }
        Type::Numeric => {
            h.push_str(&format!(
                "<p class=\"q-number\"><label for=\"q-{id}-input\">Your estimate</label> <input id=\"q-{id}-input\" name=\"q-{id}\" type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" size=\"12\">{}</p>",
                unit.map(|u| format!(" <span class=\"q-unit\">{}</span>", escape(u))).unwrap_or_default()
            ));
        }
    }
    h.push_str("<p class=\"q-actions\"><button type=\"submit\" class=\"button q-check\">Check answer</button></p>\
                <p class=\"q-result\" role=\"status\" aria-live=\"polite\"></p></form>");
    if let Some(w) = widget {
        h.push_str(&format!("<div class=\"q-widget\" hidden><p class=\"q-widget-intro\">Now run it and see whether your prediction holds:</p>{w}</div>"));
    }
    h.push_str(&format!(
        "<details class=\"q-explanation\"><summary>Explanation</summary>{explanation}<p class=\"q-teaches\">Learn it: <a href=\"{}\">the section that teaches this</a></p></details></div>",
        escape(&teaches_url(base, &q.teaches))
    ));
    h
}

/// Check what needs the whole site: `teaches` and links point at pages and anchors that exist.
pub fn check(bank: &Bank, has: impl Fn(&str, Option<&str>) -> Result<(), String>, module_exists: impl Fn(&str) -> bool) -> Vec<Diagnostic> {
    let mut out = vec![];
    for (folder, questions) in &bank.modules {
        if !module_exists(folder) {
            out.push(Diagnostic::file(format!("content/quizzes/{folder}.yaml"), format!("module `{folder}` does not exist: a quiz file is named after a folder of content/modules/")));
        }
        for q in questions {
            for link in std::iter::once(&q.teaches).chain(&q.links) {
                if let Err(m) = has(&link.target, link.anchor.as_deref()) {
                    out.push(Diagnostic::new(&q.path, link.line, link.col, format!("question `{}`: {m}", q.id)));
                }
            }
        }
    }
    out
}

/// Question ids in a ```` ```quiz ```` block: one or more per line.
pub fn block_ids(body: &str) -> Vec<String> {
    body.split_whitespace().map(str::to_string).collect()
}

/// The marker the Markdown renderer leaves for a quick check, replaced at layout.
pub fn marker(id: &str) -> String {
    format!("<!--sdp-quiz:{id}-->")
}

/// Replace quick-check markers in a rendered page with the questions' markup.
pub fn fill_markers(html: &str, bank: &Bank) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<!--sdp-quiz:") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 13..];
        let end = after.find("-->").unwrap_or(after.len());
        if let Some(q) = bank.get(&after[..end]) {
            out.push_str(&q.html);
        }
        rest = &after[(end + 3).min(after.len())..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const Q: &str = "questions:\n  - id: a-one\n    type: single\n    difficulty: beginner\n    prompt: Which?\n    options:\n      - text: Right\n        correct: true\n      - text: Wrong\n    explanation: Because.\n    teaches: ../modules/01-a/p.md#why\n";

    fn load_text(text: &str) -> Result<Vec<Question>, Vec<Diagnostic>> {
        load_file(Path::new("content/quizzes/01-a.yaml"), "01-a", text, "/")
    }

    #[test]
    fn a_valid_question_loads_with_its_key_and_markup() {
        let qs = load_text(Q).unwrap();
        assert_eq!(qs[0].key, Key::Single { options: 2, correct: 0 });
        assert_eq!(qs[0].line, 2);
        assert_eq!(qs[0].teaches.target, "modules/01-a/p.md");
        assert!(qs[0].html.contains("type=\"radio\"") && qs[0].html.contains("href=\"/modules/01-a/p/#why\""));
        let options = &qs[0].html[qs[0].html.find("<fieldset").unwrap()..qs[0].html.find("</fieldset>").unwrap()];
        assert!(!options.contains("correct"), "the options do not say which is right; only the key does");
    }

    fn error_of(text: &str) -> String {
        let e = load_text(text).unwrap_err();
        format!("{}:{}", e[0].line, e[0].message)
    }

    #[test]
    fn bank_errors_name_the_question_line_and_problem() {
        let two_right = Q.replace("      - text: Wrong\n", "      - text: Wrong\n        correct: true\n");
        assert!(error_of(&two_right).starts_with("2:question `a-one`: a single-choice question has exactly one option"), "{}", error_of(&two_right));
        let numeric = Q.replace("type: single", "type: numeric").replace("    options:\n      - text: Right\n        correct: true\n      - text: Wrong\n", "    answer: 25\n");
        assert!(error_of(&numeric).contains("needs a `tolerance`"));
        let widget = Q.replace("type: single", "type: predict") + "    widget: nosuch\n    config: \"x: 1\"\n";
        assert!(error_of(&widget).contains("unknown widget `nosuch`"));
        let teaches = Q.replace("#why", "");
        assert!(error_of(&teaches).contains("`teaches` must be"));
        let unknown = Q.replace("prompt: Which?", "prompt: Which?\n    hint: no");
        assert!(error_of(&unknown).starts_with("6:quiz: unknown field `hint`"), "{}", error_of(&unknown));
        let order = Q.replace("type: single", "type: order").replace("    options:\n      - text: Right\n        correct: true\n      - text: Wrong\n", "    items: [a, b]\n");
        assert!(error_of(&order).contains("3 to 8 `items`"));
    }

    #[test]
    fn markers_are_replaced_by_question_markup() {
        let mut bank = Bank::default();
        bank.modules.insert("01-a".into(), load_text(Q).unwrap());
        let html = format!("<p>x</p>{}<p>y</p>", marker("a-one"));
        let filled = fill_markers(&html, &bank);
        assert!(filled.starts_with("<p>x</p><div class=\"question\"") && filled.contains("id=\"q-a-one\"") && filled.ends_with("</details></div><p>y</p>"));
    }
}
