/* The explorer: views, search and filters over the data embedded in the page.

   Plain JavaScript, no library, no network. The data is the JSON of <script id="data">
   (pipeline/load/site/__init__.py): the published datasets as column lists and row
   arrays, the package's sources, licences and withheld cells, and the changelog entry of
   this data version. Every text goes into the page through textContent, never as HTML.

   Views are chosen by the address's fragment, so every one can be linked to:
     #3B.3 a competency, #3B a category, #reflection--self-awareness an Endorsement area,
     #ct-aimh, #illinois, #changes, #about; an empty fragment is the start view.
   Any other fragment is an ordinary in-page anchor (the skip link's #content). */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("data").textContent);
  var PKG = DATA.package || {};
  var WITHHELD = PKG.x_withheld || [];
  var CODE = /^[1-8][A-H]\.\d{1,2}$/;
  var CATEGORY = /^[1-8][A-H]$/;
  var PRIORITY_MARKS = { Essential: "*", Important: "•••" };
  var ALIGNMENT_MARKS = { partial: "≈", unique: "≠", same: "" };
  var ALIGNMENT_WORDS = {
    same: "same (no mark in the document)",
    partial: "partial (≈ in the document)",
    unique: "unique to the CoE (≠ in the document)"
  };

  // --- the datasets ----------------------------------------------------------------------

  function has(name, column) {
    var t = DATA.tables[name];
    return Boolean(t) && (column === undefined || t.columns.indexOf(column) >= 0);
  }

  var rowCache = {};
  /* The rows of a dataset as objects, [] when the build does not publish it. */
  function rows(name) {
    if (rowCache[name]) return rowCache[name];
    var t = DATA.tables[name];
    var out = [];
    if (t) {
      t.rows.forEach(function (values) {
        var row = {};
        t.columns.forEach(function (column, i) { row[column] = values[i]; });
        out.push(row);
      });
    }
    rowCache[name] = out;
    return out;
  }

  function groupBy(list, key) {
    var map = new Map();
    list.forEach(function (row) {
      var k = typeof key === "function" ? key(row) : row[key];
      if (k === null || k === undefined) return;
      if (!map.has(k)) map.set(k, []);
      map.get(k).push(row);
    });
    return map;
  }

  var domains = rows("coe_domains");
  var domainByNumber = new Map(domains.map(function (d) { return [d.domain_number, d]; }));
  var categories = rows("coe_categories");
  var categoryByCode = new Map(categories.map(function (c) { return [c.category_code, c]; }));
  var competencies = rows("coe_competencies");
  var competencyByCode = new Map(competencies.map(function (c) { return [c.coe_code, c]; }));
  var mappings = rows("crosswalk");
  var mappingsByCode = groupBy(mappings, "coe_code");
  var mappingsByArea = groupBy(mappings, "area_id");
  var indexRows = rows("endorsement_index");
  var indexByCode = groupBy(indexRows, "coe_code");
  var indexByArea = groupBy(indexRows, "area_id");
  var areas = rows("endorsement_areas");
  var areaById = new Map(areas.map(function (a) { return [a.area_id, a]; }));
  var spellingsByArea = groupBy(rows("endorsement_area_spellings"), "area_id");
  var mentorAreas = rows("mentor_areas");
  var mentorAreasByArea = groupBy(mentorAreas, "area_id");
  var mentor = rows("mentor_competencies");
  var illinois = rows("illinois_competencies");
  var sourceById = new Map((PKG.sources || []).map(function (s) { return [s.id, s]; }));

  /* Audit rows (corrections, quality issues) about a competency: its own row, and its
     mapping rows (row keys "3B.3/1", …). */
  function auditRows(name, code) {
    return rows(name).filter(function (r) {
      return (r.dataset === "coe_competencies" && r.row_key === code) ||
        (r.dataset === "crosswalk" && typeof r.row_key === "string" &&
         r.row_key.indexOf(code + "/") === 0);
    });
  }

  // --- building the page, safely ----------------------------------------------------------

  /* h("p", {class: "x"}, "text", node, [more]) — text always as text nodes. */
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (attrs[k] === null || attrs[k] === undefined || attrs[k] === false) return;
        el.setAttribute(k, attrs[k] === true ? "" : attrs[k]);
      });
    }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  function append(el, child) {
    if (child === null || child === undefined || child === false) return;
    if (Array.isArray(child)) { child.forEach(function (c) { append(el, c); }); return; }
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }

  function link(target, text, attrs) {
    var a = h("a", attrs || {}, text);
    a.setAttribute("href", "#" + target);
    return a;
  }

  function withheldReason(table, column, row) {
    for (var i = 0; i < WITHHELD.length; i++) {
      var w = WITHHELD[i];
      if (w.resource !== table || w.column !== column) continue;
      var match = Object.keys(w.rows || {}).every(function (k) {
        return row[k] !== null && row[k] !== undefined && String(row[k]) === w.rows[k];
      });
      if (match) return w.reason;
    }
    return null;
  }

  /* A text cell: its text (with matches marked), or why there is none. */
  function cell(table, column, row, terms) {
    if (!has(table, column)) {
      return h("span", { class: "absent" }, "not in this build (its profile leaves " +
        column + " out)");
    }
    var value = row[column];
    if (value === null || value === undefined) {
      var reason = withheldReason(table, column, row);
      // The reason's first clause in the cell, all of it on hover and under About.
      if (reason) return h("span", { class: "withheld", title: reason }, "withheld — " + reason.split(" (")[0]);
      return h("span", { class: "none" }, "none");
    }
    return terms && terms.length ? highlight(String(value), terms) : String(value);
  }

  /* Where a row comes from: its source (the title in full under About), line or page. */
  function sourceText(row) {
    var source = sourceById.get(row.source_id);
    var where = row.source_line ? "line " + row.source_line :
      row.source_page ? "page " + row.source_page : "";
    var text = [row.source_id, where].filter(Boolean).join(", ");
    if (source && source.repository_path) text += " (" + source.repository_path + ")";
    return text;
  }

  function priorityText(priority, note) {
    if (priority) return h("span", {}, h("span", { class: "mark" }, PRIORITY_MARKS[priority] || ""), " " + priority);
    if (note) return h("span", {}, "no mark — the document notes: " + note);
    return h("span", { class: "none" }, "none");
  }

  function alignmentText(alignment) {
    var mark = ALIGNMENT_MARKS[alignment];
    return h("span", {}, mark ? h("span", { class: "mark", "aria-hidden": "true" }, mark + " ") : null,
      ALIGNMENT_WORDS[alignment] || alignment);
  }

  function facts(pairs) {
    var dl = h("dl", { class: "facts" });
    pairs.forEach(function (p) {
      if (!p) return;
      dl.appendChild(h("dt", {}, p[0]));
      dl.appendChild(h("dd", {}, p[1]));
    });
    return dl;
  }

  function shorten(text, limit) {
    if (text.length <= limit) return text;
    var cut = text.lastIndexOf(" ", limit);
    return text.slice(0, cut > limit / 2 ? cut : limit) + " …";
  }

  // --- search -------------------------------------------------------------------------------

  var SUFFIXES = ["ations", "ation", "ively", "ive", "ions", "ion", "ings", "ing", "ness",
                  "ments", "ment", "ed", "es", "s"];

  /* The forms a query word matches: itself, and its stem for a longer word
     (reflective → reflect, so it finds reflection and reflecting too). */
  function forms(word) {
    var out = [word];
    if (word.length > 5) {
      for (var i = 0; i < SUFFIXES.length; i++) {
        var s = SUFFIXES[i];
        if (word.length - s.length >= 4 && word.slice(-s.length) === s) {
          out.push(word.slice(0, -s.length));
          break;
        }
      }
    }
    return out;
  }

  function queryTerms(query) {
    return query.toLowerCase().split(/\s+/).filter(Boolean).map(forms);
  }

  function matches(haystack, terms) {
    return terms.every(function (alternatives) {
      return alternatives.some(function (form) { return haystack.indexOf(form) >= 0; });
    });
  }

  function escapeRegExp(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }

  function highlight(text, terms) {
    var flat = [];
    terms.forEach(function (alternatives) { flat = flat.concat(alternatives); });
    flat = flat.filter(Boolean).sort(function (a, b) { return b.length - a.length; });
    if (!flat.length) return text;
    var re = new RegExp("(" + flat.map(escapeRegExp).join("|") + ")", "gi");
    var frag = document.createDocumentFragment();
    var last = 0;
    text.replace(re, function (m, _g, offset) {
      frag.appendChild(document.createTextNode(text.slice(last, offset)));
      frag.appendChild(h("mark", {}, m));
      last = offset + m.length;
      return m;
    });
    frag.appendChild(document.createTextNode(text.slice(last)));
    return frag;
  }

  /* A snippet of a text around its first match. */
  function snippet(text, terms, limit) {
    if (!text) return "";
    var lower = text.toLowerCase();
    var at = -1;
    terms.forEach(function (alternatives) {
      alternatives.forEach(function (form) {
        var i = lower.indexOf(form);
        if (i >= 0 && (at < 0 || i < at)) at = i;
      });
    });
    var start = at > limit / 2 ? text.lastIndexOf(" ", at - limit / 3) + 1 : 0;
    var piece = text.slice(start, start + limit);
    return (start > 0 ? "… " : "") + piece + (start + limit < text.length ? " …" : "");
  }

  function joined(values) {
    return values.filter(function (v) { return v !== null && v !== undefined; }).join(" \u2029 ").toLowerCase();
  }

  /* The lowercase search index, built once. */
  var competencyIndex = competencies.map(function (c) {
    var category = categoryByCode.get(c.category_code) || {};
    var domain = domainByNumber.get(c.domain_number) || {};
    var parts = [c.coe_code, c.competency_text, c.footnote, c.priority_note,
                 category.category_title, domain.domain_title];
    (mappingsByCode.get(c.coe_code) || []).forEach(function (m) {
      parts.push(m.endorsement_domain, m.endorsement_area, m.demonstrated_by);
    });
    return joined(parts);
  });
  var areaIndex = areas.map(function (a) {
    var parts = [a.area_id, a.endorsement_domain, a.endorsement_area];
    (spellingsByArea.get(a.area_id) || []).forEach(function (s) { parts.push(s.endorsement_area); });
    return joined(parts);
  });
  var mentorIndex = mentor.map(function (m) {
    return joined([m.area_of_expertise, m.statement, m.practice_mode]);
  });
  var illinoisIndex = illinois.map(function (i) { return joined([i.title, i.description]); });

  // --- filters ---------------------------------------------------------------------------------

  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var selects = {
    domain: document.getElementById("f-domain"),
    category: document.getElementById("f-category"),
    priority: document.getElementById("f-priority"),
    alignment: document.getElementById("f-alignment"),
    edomain: document.getElementById("f-edomain"),
    area: document.getElementById("f-area"),
    level: document.getElementById("f-level")
  };

  function fill(select, options) {
    var keep = select.value;
    select.textContent = "";
    select.appendChild(h("option", { value: "" }, "any"));
    options.forEach(function (o) { select.appendChild(h("option", { value: o[0] }, o[1])); });
    select.value = options.some(function (o) { return o[0] === keep; }) ? keep : "";
  }

  function distinct(list, key) {
    var seen = [];
    list.forEach(function (r) { if (r[key] !== null && r[key] !== undefined && seen.indexOf(r[key]) < 0) seen.push(r[key]); });
    return seen;
  }

  function fillFilters() {
    fill(selects.domain, domains.map(function (d) { return [String(d.domain_number), d.domain_number + ". " + d.domain_title]; }));
    var domain = selects.domain.value;
    fill(selects.category, categories.filter(function (c) { return !domain || String(c.domain_number) === domain; })
      .map(function (c) { return [c.category_code, c.category_code + ". " + (c.category_title || "")]; }));
    fill(selects.priority, [["Essential", "* Essential"], ["Important", "••• Important"], ["none", "no mark (a note instead)"]]);
    fill(selects.alignment, ["same", "partial", "unique"].map(function (a) {
      return [a, (ALIGNMENT_MARKS[a] ? ALIGNMENT_MARKS[a] + " " : "") + a];
    }));
    var edomains = distinct(areas.length ? areas : mappings, "endorsement_domain").sort();
    fill(selects.edomain, edomains.map(function (d) { return [d, d]; }));
    var edomain = selects.edomain.value;
    fill(selects.area, areas.filter(function (a) { return !edomain || a.endorsement_domain === edomain; })
      .map(function (a) { return [a.area_id, (edomain ? "" : a.endorsement_domain + ": ") + (a.endorsement_area || a.area_id)]; }));
    fill(selects.level, distinct(mappings, "endorsement_level").sort().map(function (l) { return [l, l]; }));
  }

  function state() {
    var s = { q: input.value.trim() };
    Object.keys(selects).forEach(function (k) { s[k] = selects[k].value; });
    return s;
  }

  function competencyPasses(c, s) {
    if (s.domain && String(c.domain_number) !== s.domain) return false;
    if (s.category && c.category_code !== s.category) return false;
    if (s.priority && (s.priority === "none" ? Boolean(c.priority) : c.priority !== s.priority)) return false;
    if (!(s.alignment || s.edomain || s.area || s.level)) return true;
    // The Endorsement filters hold together on one mapping row.
    return (mappingsByCode.get(c.coe_code) || []).some(function (m) {
      return (!s.alignment || m.alignment === s.alignment) &&
        (!s.edomain || m.endorsement_domain === s.edomain) &&
        (!s.area || m.area_id === s.area) &&
        (!s.level || m.endorsement_level === s.level);
    });
  }

  // --- results -----------------------------------------------------------------------------------

  var resultsBox = document.getElementById("results");
  var countBox = document.getElementById("count");

  function search() {
    var s = state();
    var terms = queryTerms(s.q);
    var coeOnly = s.domain || s.category || s.priority || s.alignment || s.level;
    var found = {
      competencies: competencies.filter(function (c, i) {
        return competencyPasses(c, s) && (!terms.length || matches(competencyIndex[i], terms));
      }),
      areas: !terms.length || coeOnly ? [] : areas.filter(function (a, i) {
        return (!s.edomain || a.endorsement_domain === s.edomain) && (!s.area || a.area_id === s.area) &&
          matches(areaIndex[i], terms);
      }),
      mentor: !terms.length || coeOnly || s.area ? [] : mentor.filter(function (m, i) {
        return (!s.edomain || m.area_of_expertise === s.edomain) && matches(mentorIndex[i], terms);
      }),
      illinois: !terms.length || coeOnly || s.edomain || s.area ? [] : illinois.filter(function (r, i) {
        return matches(illinoisIndex[i], terms);
      })
    };
    renderResults(found, terms);
    var active = Object.keys(selects).filter(function (k) { return selects[k].value; }).length;
    document.getElementById("filter-count").textContent = active ? "(" + active + " set)" : "";
    var parts = [found.competencies.length + " competenc" + (found.competencies.length === 1 ? "y" : "ies")];
    if (terms.length) {
      parts.push(found.areas.length + " area" + (found.areas.length === 1 ? "" : "s"));
      parts.push(found.mentor.length + " CT-AIMH statement" + (found.mentor.length === 1 ? "" : "s"));
      parts.push(found.illinois.length + " Illinois competenc" + (found.illinois.length === 1 ? "y" : "ies"));
    }
    countBox.textContent = parts.join(", ") + (terms.length || coeOnly || s.edomain || s.area ? " match" : "");
  }

  function resultList(title, items) {
    if (!items.length) return null;
    return [h("h3", {}, title + " (" + items.length + ")"), h("ul", {}, items.map(function (i) { return h("li", {}, i); }))];
  }

  function renderResults(found, terms) {
    resultsBox.textContent = "";
    var box = h("div", { class: "results" });
    append(box, resultList("CoE competencies", found.competencies.map(function (c) {
      var text = c.competency_text;
      return link(c.coe_code, [h("span", { class: "code" }, c.coe_code), " ",
        c.priority ? h("span", { class: "mark", title: c.priority }, PRIORITY_MARKS[c.priority]) : null,
        h("span", { class: "snippet" }, text ? highlight(snippet(text, terms, 150), terms)
          : cell("coe_competencies", "competency_text", c))]);
    })));
    append(box, resultList("Endorsement areas", found.areas.map(function (a) {
      return link(a.area_id, [h("span", {}, highlight(a.endorsement_area || a.area_id, terms)),
        h("span", { class: "snippet more" }, a.endorsement_domain)]);
    })));
    append(box, resultList("CT-AIMH Mentor statements", found.mentor.map(function (m) {
      return link("ct-aimh", [h("span", {}, m.area_of_expertise + " · " + m.statement_seq),
        h("span", { class: "snippet" }, highlight(snippet(m.statement || "", terms, 150), terms))]);
    })));
    append(box, resultList("Illinois Model competencies", found.illinois.map(function (r) {
      return link("illinois", [h("span", {}, r.number + ". "), highlight(r.title || "", terms)]);
    })));
    resultsBox.appendChild(box);
    markCurrent();
  }

  function markCurrent() {
    var here = decodeURIComponent(location.hash.slice(1));
    resultsBox.querySelectorAll("a").forEach(function (a) {
      if (a.getAttribute("href") === "#" + here && here) a.setAttribute("aria-current", "page");
      else a.removeAttribute("aria-current");
    });
  }

  input.addEventListener("input", search);
  Object.keys(selects).forEach(function (k) {
    selects[k].addEventListener("change", function () {
      if (k === "domain" || k === "edomain") fillFilters();
      search();
    });
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = resultsBox.querySelector("a");
    if (first) first.focus();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { fillFilters(); search(); input.focus(); }, 0);
  });

  // --- views -----------------------------------------------------------------------------------

  function heading(text) { return h("h2", { tabindex: "-1", id: "view-title" }, text); }

  function startView() {
    return [heading("Crosswalk explorer"),
      h("p", { class: "lead" }, PKG.title || ""),
      h("p", {}, "Search on the left (above, on a phone) or open a competency, an Endorsement area, " +
        "the CT-AIMH Mentor competencies or the Illinois Model. Every view has its own address: " +
        "#3B.3 opens competency 3B.3."),
      facts([
        ["Data version", (PKG.version || "") + (PKG.created ? " (" + PKG.created.slice(0, 10) + ")" : "")],
        ["CoE competencies", String(competencies.length)],
        ["Mapping rows", String(mappings.length)],
        ["Endorsement areas", String(areas.length)],
        ["CT-AIMH statements", String(mentor.length)],
        ["Illinois competencies", String(illinois.length)]
      ]),
      WITHHELD.length ? h("p", { class: "note" }, "This build withholds the text of some sources " +
        "whose terms forbid redistributing it: such cells show “withheld” and why. See ",
        link("about", "About"), ".") : null];
  }

  function competencyView(code) {
    var c = competencyByCode.get(code);
    if (!c) return notFound("competency " + code);
    var category = categoryByCode.get(c.category_code) || {};
    var domain = domainByNumber.get(c.domain_number) || {};
    var own = mappingsByCode.get(code) || [];
    var reverse = indexByCode.get(code) || [];
    var view = [
      h("p", { class: "crumbs" }, "Domain " + c.domain_number + ". " + (domain.domain_title || ""), " › ",
        link(c.category_code, c.category_code + ". " + (category.category_title || ""))),
      heading(["Competency ", h("span", { class: "code" }, code)]),
      h("p", { class: "lead" }, cell("coe_competencies", "competency_text", c)),
      facts([
        ["Priority", priorityText(c.priority, c.priority_note)],
        c.footnote || withheldReason("coe_competencies", "footnote", c) ? ["Footnote", cell("coe_competencies", "footnote", c)] : null,
        ["Source", sourceText(c)]
      ]),
      h("h3", {}, "Mappings in the crosswalk (" + own.length + ")"),
      h("ol", { class: "cards" }, own.map(function (m) { return h("li", { class: "card" }, mappingCard(m, c)); }))
    ];
    view.push(h("h3", {}, "Both tables of the crosswalk"));
    view.push(h("p", { class: "note" }, "The forward table maps the competency to Endorsement areas; " +
      "the reverse table lists, for each area, the competencies it covers. Where they disagree it is marked."));
    view.push(directionTable(code, own, reverse));
    var issues = auditRows("quality_issues", code);
    if (issues.length) {
      view.push(h("h3", {}, "Quality issues (" + issues.length + ")"));
      view.push(h("ul", {}, issues.map(function (q) {
        return h("li", {}, h("code", {}, q.kind), " ", q.row_key, ": ", cell("quality_issues", "detail", q));
      })));
    }
    var fixes = auditRows("corrections", code);
    if (fixes.length) {
      view.push(h("details", {}, h("summary", {}, "Corrections made to its cells (" + fixes.length + ")"),
        h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, ["Row", "Column", "Rule", "Before", "After"].map(function (t) { return h("th", { scope: "col" }, t); }))),
          h("tbody", {}, fixes.map(function (f) {
            return h("tr", {}, h("td", {}, f.row_key), h("td", {}, f.field), h("td", {}, f.rule),
              h("td", {}, cell("corrections", "before", f)), h("td", {}, cell("corrections", "after", f)));
          }))))));
    }
    var i = competencies.indexOf(c);
    view.push(h("nav", { class: "pager", "aria-label": "Neighbouring competencies" },
      i > 0 ? link(competencies[i - 1].coe_code, "← " + competencies[i - 1].coe_code) : h("span"),
      i < competencies.length - 1 ? link(competencies[i + 1].coe_code, competencies[i + 1].coe_code + " →") : h("span")));
    return view;
  }

  function mappingCard(m, c) {
    var disagree = m.mapping_priority !== m.competency_priority;
    var area = m.area_id ? areaById.get(m.area_id) : null;
    return [
      h("p", { class: "card-head" }, h("strong", {}, "Row " + m.mapping_seq),
        h("span", {}, "marked ", priorityText(m.mapping_priority, m.mapping_priority ? null : c.priority_note)),
        disagree ? h("span", { class: "badge disagree" }, "differs from the competency's own priority (" +
          (m.competency_priority || "none") + ")") : null,
        h("span", {}, alignmentText(m.alignment))),
      m.alignment === "unique" ? h("p", {}, "Unique to the CoE: maps to no Endorsement area.") :
        facts([
          ["Endorsement domain", m.endorsement_domain || ""],
          ["Area", m.area_id ? [link(m.area_id, area && area.endorsement_area ? area.endorsement_area : m.area_id),
            m.endorsement_area && area && m.endorsement_area !== area.endorsement_area ?
              h("span", { class: "note" }, " (printed: " + m.endorsement_area + ")") : null]
            : cell("crosswalk", "endorsement_area", m)],
          ["Level", m.endorsement_level || ""],
          ["As demonstrated by", cell("crosswalk", "demonstrated_by", m)]
        ]),
      h("p", { class: "note" }, "Source: " + sourceText(m))
    ];
  }

  /* The areas of a competency in the forward and the reverse table, side by side. */
  function directionTable(code, own, reverse) {
    var ids = [];
    own.concat(reverse).forEach(function (r) { if (r.area_id && ids.indexOf(r.area_id) < 0) ids.push(r.area_id); });
    if (!ids.length) return h("p", {}, "Neither table names an Endorsement area for " + code + ".");
    return h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, ["Endorsement area", "Forward table", "Reverse table"].map(function (t) { return h("th", { scope: "col" }, t); }))),
      h("tbody", {}, ids.map(function (id) {
        var area = areaById.get(id);
        var fwd = own.filter(function (m) { return m.area_id === id; });
        var rev = reverse.filter(function (r) { return r.area_id === id; });
        return h("tr", {},
          h("td", {}, link(id, area && area.endorsement_area ? area.endorsement_area : id),
            h("span", { class: "note" }, " " + (area ? area.endorsement_domain : ""))),
          h("td", {}, fwd.length ? "row " + fwd.map(function (m) { return m.mapping_seq; }).join(", ")
            : h("span", { class: "badge disagree" }, "not mapped here")),
          h("td", {}, rev.length ? "listed (" + rev[0].endorsement_levels + ")"
            : h("span", { class: "badge disagree" }, has("endorsement_index") ? "not listed" : "not in this build")));
      }))));
  }

  function categoryView(code) {
    var category = categoryByCode.get(code);
    if (!category) return notFound("category " + code);
    var domain = domainByNumber.get(category.domain_number) || {};
    var list = competencies.filter(function (c) { return c.category_code === code; });
    return [
      h("p", { class: "crumbs" }, "Domain " + category.domain_number + ". " + (domain.domain_title || "")),
      heading(["Category ", h("span", { class: "code" }, code), " ", category.category_title || ""]),
      domain.description ? h("p", { class: "note" }, "Domain: ", cell("coe_domains", "description", domain)) : null,
      facts([["Source", sourceText(category)]]),
      h("ul", { class: "cards" }, list.map(function (c) {
        return h("li", { class: "card" }, h("p", { class: "card-head" }, link(c.coe_code, c.coe_code),
          priorityText(c.priority, c.priority_note)), h("p", {}, cell("coe_competencies", "competency_text", c)));
      }))
    ];
  }

  function areaView(id) {
    var area = areaById.get(id);
    if (!area) return notFound("Endorsement area " + id);
    var fwd = mappingsByArea.get(id) || [];
    var rev = indexByArea.get(id) || [];
    var codes = [];
    fwd.concat(rev).forEach(function (r) { if (r.coe_code && codes.indexOf(r.coe_code) < 0) codes.push(r.coe_code); });
    codes.sort(function (a, b) { return competencies.indexOf(competencyByCode.get(a)) - competencies.indexOf(competencyByCode.get(b)); });
    var levels = distinct(rev, "endorsement_levels");
    var designations = distinct(rev, "designation");
    var uniqueToAlliance = rev.some(function (r) { return r.unique_to_alliance; });
    var view = [
      h("p", { class: "crumbs" }, "Endorsement domain: " + area.endorsement_domain),
      heading(["Endorsement area: ", cell("endorsement_areas", "endorsement_area", area)]),
      facts([
        ["Area id", h("code", {}, id)],
        ["Reverse table", area.in_reverse_table ? "lists this area" :
          h("span", { class: "badge disagree" }, "does not list it: only the forward table names this area")],
        levels.length ? ["Levels (reverse table)", levels.join(", ")] : null,
        designations.length ? ["Designation", designations.join(", ")] : null,
        uniqueToAlliance ? ["Unique to Alliance", "yes: the reverse table marks this area “Unique to Alliance”"] : null,
        ["Source", sourceText(area)]
      ]),
      h("h3", {}, "CoE competencies mapped to it (" + codes.length + ")"),
      h("p", { class: "note" }, "From the forward table (mapping rows naming this area) and the reverse table " +
        "(competencies it lists under this area); a competency only one of them names is marked.")
    ];
    if (codes.length) {
      view.push(h("ul", { class: "cards" }, codes.map(function (code) {
        var c = competencyByCode.get(code) || {};
        var rowsHere = fwd.filter(function (m) { return m.coe_code === code; });
        var listed = rev.some(function (r) { return r.coe_code === code; });
        var badge = rowsHere.length && listed ? h("span", { class: "badge agree" }, "in both tables")
          : rowsHere.length ? h("span", { class: "badge disagree" }, "forward table only")
            : h("span", { class: "badge disagree" }, "reverse table only");
        return h("li", { class: "card" },
          h("p", { class: "card-head" }, link(code, code), priorityText(c.priority, c.priority_note), badge),
          h("p", {}, c.competency_text ? shorten(c.competency_text, 220) : cell("coe_competencies", "competency_text", c)),
          rowsHere.length ? h("p", { class: "note" }, rowsHere.map(function (m) {
            return "row " + m.mapping_seq + ": " + (ALIGNMENT_MARKS[m.alignment] ? ALIGNMENT_MARKS[m.alignment] + " " : "") +
              m.alignment + ", level " + (m.endorsement_level || "—");
          }).join("; ")) : null);
      })));
    }
    var spellings = spellingsByArea.get(id) || [];
    if (spellings.length) {
      view.push(h("h3", {}, "Spellings in the datasets (" + spellings.length + ")"));
      view.push(h("ul", {}, spellings.map(function (s) {
        return h("li", {}, h("code", {}, s.dataset), ": ", cell("endorsement_area_spellings", "endorsement_area", s),
          " (" + s.rows + " row" + (s.rows === 1 ? "" : "s") + ")");
      })));
    }
    var ct = mentorAreasByArea.get(id) || [];
    if (ct.length) {
      view.push(h("h3", {}, "CT-AIMH Mentor areas joined to it"));
      view.push(h("ul", {}, ct.map(function (m) {
        return h("li", {}, m.area_of_expertise + ", " + m.area_kind + ": ", cell("mentor_areas", "area", m), " — ",
          link("ct-aimh", "CT-AIMH Mentor competencies"));
      })));
    }
    return view;
  }

  function mentorView() {
    var view = [heading("CT-AIMH Infant Mental Health Mentor (Level IV) competencies"),
      h("p", { class: "note" }, "Designations: A = all three, C = clinical, P = policy, RF = research/faculty. " +
        "Sub-bullets are listed under their bullet.")];
    if (!mentor.length && !mentorAreas.length) return view.concat(h("p", {}, "This build has no CT-AIMH datasets."));
    distinct(mentor.concat(mentorAreas), "area_of_expertise").forEach(function (expertise) {
      view.push(h("h3", {}, expertise));
      var areasHere = mentorAreas.filter(function (a) { return a.area_of_expertise === expertise; });
      distinct(areasHere, "area_kind").forEach(function (kind) {
        view.push(h("h4", {}, kind));
        view.push(h("ul", {}, areasHere.filter(function (a) { return a.area_kind === kind; }).map(function (a) {
          return h("li", {}, cell("mentor_areas", "area", a), a.area_id ? [" → ", link(a.area_id, (areaById.get(a.area_id) || {}).endorsement_area || a.area_id)]
            : h("span", { class: "note" }, " (matches no area of the crosswalk)"));
        })));
      });
      var statements = mentor.filter(function (m) { return m.area_of_expertise === expertise; });
      if (!statements.length) return;
      view.push(h("h4", {}, "As demonstrated by"));
      var list = h("ol", { class: "statements" });
      var bySeq = new Map();
      statements.forEach(function (m) {
        var item = h("li", { id: "ct-aimh-" + expertise.replace(/\W+/g, "-") + "-" + m.statement_seq },
          cell("mentor_competencies", "statement", m), " ",
          h("span", { class: "badge" }, m.designations || ""),
          m.practice_mode || withheldReason("mentor_competencies", "practice_mode", m)
            ? h("span", { class: "note" }, " ", cell("mentor_competencies", "practice_mode", m)) : null,
          h("span", { class: "note" }, " — " + sourceText(m)));
        bySeq.set(m.statement_seq, item);
        var parent = m.parent_seq ? bySeq.get(m.parent_seq) : null;
        if (parent) {
          var sub = parent.querySelector("ul") || parent.appendChild(h("ul"));
          sub.appendChild(item);
        } else {
          list.appendChild(item);
        }
      });
      view.push(list);
    });
    return view;
  }

  function illinoisView() {
    var view = [heading("Illinois Model for I/ECMHC core competencies")];
    if (!illinois.length) return view.concat(h("p", {}, "This build has no Illinois dataset."));
    view.push(h("ol", { class: "cards" }, illinois.map(function (r) {
      return h("li", { class: "card" }, h("p", { class: "card-head" }, h("strong", {}, r.number + ". "),
        cell("illinois_competencies", "title", r)), h("p", {}, cell("illinois_competencies", "description", r)),
        h("p", { class: "note" }, "Source: " + sourceText(r)));
    })));
    return view;
  }

  /* Inline Markdown of a changelog line: `code` (a competency code or row key becomes a
     link to its competency, an area id to its area) and **bold**. */
  function inline(text) {
    var frag = document.createDocumentFragment();
    text.split(/(`[^`]*`|\*\*[^*]+\*\*)/).forEach(function (part) {
      if (part.charAt(0) === "`" && part.length > 1) {
        var inner = part.slice(1, -1);
        var code = inner.split("/")[0];
        var target = competencyByCode.has(code) ? code : areaById.has(inner) ? inner : null;
        frag.appendChild(target ? link(target, h("code", {}, inner)) : h("code", {}, inner));
      } else if (part.slice(0, 2) === "**") {
        frag.appendChild(h("strong", {}, part.slice(2, -2)));
      } else if (part) {
        frag.appendChild(document.createTextNode(part));
      }
    });
    return frag;
  }

  function changesView() {
    var changes = DATA.changes || {};
    var view = [heading("What changed in data " + (changes.version || "")),
      h("p", { class: "note" }, inline("This is the entry of `CHANGELOG.md` for this data version. `crosswalk release` " +
        "writes it from the diff of this build against the previous release (the newest data-v* tag): rows added, " +
        "removed, changed and renumbered, by dataset. The page reads it from the file at build time, so it needs " +
        "neither git nor the network."))];
    if (!changes.found) {
      return view.concat(h("p", {}, "CHANGELOG.md has no entry for data " + (changes.version || "?") +
        (changes.newest ? " (its newest entry is " + changes.newest + ")." : ".")));
    }
    view.push(h("h3", {}, changes.heading));
    (changes.blocks || []).forEach(function (block) {
      if (block.kind === "paragraph") view.push(h("p", {}, inline(block.text)));
      else if (block.kind === "list") view.push(h("ul", {}, block.items.map(function (item) { return h("li", {}, inline(item)); })));
      else if (block.kind === "table") {
        view.push(h("div", { class: "table-wrap" }, h("table", {},
          h("thead", {}, h("tr", {}, block.header.map(function (t, i) { return h("th", { scope: "col", class: i ? "num" : null }, inline(t)); }))),
          h("tbody", {}, block.rows.map(function (row) {
            return h("tr", {}, row.map(function (t, i) { return h("td", { class: i ? "num" : null }, inline(t)); }));
          })))));
      }
    });
    return view;
  }

  function aboutView() {
    var view = [heading("About, sources and terms"),
      h("p", { class: "lead" }, PKG.title || ""), h("p", {}, PKG.description || ""),
      facts([["Data version", PKG.version || ""], PKG.created ? ["Released", PKG.created.slice(0, 10)] : null,
        ["Datasets in this page", Object.keys(DATA.tables).map(function (n) {
          return n + " (" + DATA.tables[n].rows.length + ")";
        }).join(", ")]]),
      h("h3", {}, "How to use this page"),
      h("ul", {},
        h("li", {}, "Search: every word must appear in a competency (its text, footnote, category, domain, " +
          "and the areas and “as demonstrated by” text of its mappings), an Endorsement area or a CT-AIMH " +
          "statement; a word also finds words of its stem (reflective finds reflection). Filters narrow the " +
          "competencies; the Endorsement filters (alignment, domain, area, level) must hold on one mapping row."),
        h("li", {}, "Marks as the document prints them: * Essential, ••• Important; ≈ partial alignment, " +
          "≠ unique to the CoE, no mark for the same competency."),
        h("li", {}, "Every competency (#3B.3), category (#3B) and Endorsement area (#reflection--self-awareness) " +
          "has its own address: copy it from the address bar.")),
      h("h3", {}, "Sources and their terms")];
    (PKG.sources || []).forEach(function (s) {
      view.push(h("h4", {}, s.title));
      view.push(facts([
        ["Citation", s.description || ""],
        ["Publisher", s.publisher || ""],
        s.year ? ["Year", String(s.year)] : null,
        s.copyright ? ["Copyright", s.copyright] : null,
        ["Permission", s.permission || ""],
        ["Redistribution", s.redistribution || ""],
        s.url ? ["Address", h("a", { href: s.url, rel: "noopener noreferrer" }, s.url)] : null,
        ["File", h("code", {}, s.repository_path || ""), " ", h("code", {}, s.hash || "")],
        ["Id", h("code", {}, s.id)]
      ]));
    });
    if (WITHHELD.length) {
      view.push(h("h3", {}, "Text withheld by this build"));
      view.push(h("ul", {}, WITHHELD.map(function (w) {
        return h("li", {}, h("code", {}, w.resource + "." + w.column), " (rows of " + w.source_id + "): " + w.reason);
      })));
    }
    view.push(h("h3", {}, "Licences"));
    view.push(h("ul", {}, (PKG.licenses || []).map(function (l) {
      return h("li", {}, h("code", {}, l.name), ": " + l.title);
    }).concat(PKG.x_code_license ? [h("li", {}, h("code", {}, PKG.x_code_license.name), ": " + PKG.x_code_license.title)] : [])));
    return view;
  }

  function notFound(what) {
    return [heading("Not found"), h("p", {}, "This build has no " + what + "."), h("p", {}, link("", "Back to the start"))];
  }

  /* The view of a fragment, or undefined for an ordinary in-page anchor. */
  function resolve(hash) {
    if (hash === "") return { title: "", build: startView };
    if (hash === "ct-aimh") return { title: "CT-AIMH Mentor", build: mentorView };
    if (hash === "illinois") return { title: "Illinois Model", build: illinoisView };
    if (hash === "changes") return { title: "What changed", build: changesView };
    if (hash === "about") return { title: "About", build: aboutView };
    if (CODE.test(hash)) return { title: hash, build: function () { return competencyView(hash); } };
    if (CATEGORY.test(hash)) return { title: hash, build: function () { return categoryView(hash); } };
    if (hash.indexOf("--") > 0) return { title: hash, build: function () { return areaView(hash); } };
    return undefined;
  }

  var viewBox = document.getElementById("view");
  var baseTitle = document.title;

  function route(initial) {
    var hash;
    try { hash = decodeURIComponent(location.hash.slice(1)); } catch (e) { hash = location.hash.slice(1); }
    var view = resolve(hash);
    if (view === undefined) return;
    viewBox.textContent = "";
    append(viewBox, view.build());
    document.title = (view.title ? view.title + " — " : "") + baseTitle;
    markCurrent();
    if (!(initial && hash === "")) {
      var title = document.getElementById("view-title");
      if (title) title.focus();
    }
  }

  fillFilters();
  search();
  window.addEventListener("hashchange", function () { route(false); });
  route(true);
}());
