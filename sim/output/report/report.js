// report.js - draws the report page from its JSON data block, then filters and pages the route tables.
//<![CDATA[
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('report-data').textContent);

  /* ---- building elements ---- */

  // h('td', {class: 'pfx'}, 'text', node, ...): attributes in the order given; null children skipped.
  function h(tag, attrs) {
    var e = document.createElement(tag), k, i;
    for (k in attrs) { if (attrs[k] !== null && attrs[k] !== undefined) { e.setAttribute(k, attrs[k]); } }
    for (i = 2; i < arguments.length; i++) { add(e, arguments[i]); }
    return e;
  }
  function add(e, c) {
    if (c === null || c === undefined) { return; }
    if (Array.isArray(c)) { c.forEach(function (x) { add(e, x); }); return; }
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  function mono(t) { return h('span', { class: 'mono' }, t); }
  function mut(t) { return h('span', { class: 'mut' }, t); }
  function badge(ok, t) { return h('span', { class: 'badge ' + (ok ? 'ok' : 'bad') }, t); }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  // A table: header cells (text, or a th of its own), then the body rows.
  function table(attrs, heads, rows) {
    return h('table', attrs, h('thead', {}, h('tr', {}, heads.map(function (t) {
      return typeof t === 'string' ? h('th', {}, t) : t;
    }))),
             h('tbody', {}, rows));
  }
  function fact(name, value) { return h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)); }

  // A drawing: the SVG, or a note saying why it is missing; the caption and the zoom hint.
  function figure(id, f, caption, what, nothing) {
    var fig = h('figure', { class: 'fig', id: id });
    if (f.svg !== null) { fig.insertAdjacentHTML('beforeend', f.svg); }
    else { add(fig, h('p', { class: 'mut' }, 'The ' + what + ' could not be drawn: ' + f.error)); }
    add(fig, h('figcaption', { class: 'mut' }, caption + ' ',
               h('span', { class: 'hint' }, 'Click the ' + nothing + ' to switch between fit-to-width and full size.')));
    return fig;
  }
  function diagram(id, f, caption) { return figure(id, f, caption, 'diagram', 'drawing'); }

  /* ---- summary ---- */

  function outcome(o) { return [badge(o[0], o[0] ? 'converged' : 'NOT converged'), o[1]]; }
  function warnings(w) {
    return w.length ? h('ul', { class: 'warnings' }, w.map(function (t) { return h('li', {}, t); })) : 'none';
  }
  function summary() {
    var s = D.summary, src = [mono(D.source)];
    s.sets.forEach(function (t, i) { src.push(i ? ', ' : ' with ', mono(t)); });
    var rows = [fact('Scenario file', src), fact('Resources', s.resources), fact('Simulated', s.simulated),
                fact('Outcome', outcome(s.outcome)), fact('Validation warnings', warnings(s.warnings))];
    if (D.comparison) {
      rows.push(fact('Compared with', s.comparedWith), fact('Outcome after', outcome(s.outcomeAfter)),
                fact('Warnings after', warnings(s.warningsAfter)));
    }
    return h('section', { id: 'summary' }, h('h2', {}, 'Summary'), h('table', { class: 'facts' }, h('tbody', {}, rows)));
  }

  /* ---- reachability ---- */

  var FWD = 1, BACK = 2, REACH = 4, ASYM = 8, CHANGED = 16;
  function grid(g) {
    var caption = g.caption;
    if (g.grouped) {
      caption += ' (endpoints that reach and are reached alike share a row; the cell between a row and itself is between two of them)';
    }
    var heads = [h('th', { scope: 'col' }, 'from \u2193 / to \u2192')].concat(g.labels.map(function (l) {
      return h('th', { scope: 'col' }, l);
    }));
    var rows = g.cells.map(function (cells, i) {
      var a = g.labels[i];
      return h('tr', {}, h('th', { scope: 'row' }, a), cells.map(function (c, j) {
        if (c < 0) { return h('td', { class: 'self' }, '\u2014'); }
        var b = g.labels[j], cls, mark;
        if (c & REACH) {
          cls = c & ASYM ? 'asym' : 'ok';
          mark = c & ASYM ? '\u2713*' : '\u2713';
        } else {
          cls = 'no';
          mark = c & FWD ? '\u2192 only' : c & BACK ? '\u2190 only' : '\u2717';
        }
        var title = a + (c & FWD ? ' reaches ' : ' does not reach ') + b + '; ' + b +
                    (c & BACK ? ' reaches ' : ' does not reach ') + a;
        if (c & ASYM) { title += '; the return path differs'; }
        if (c & CHANGED) { title += '; changed'; }
        return h('td', { class: cls + (c & CHANGED ? ' changed' : ''), title: title }, mark);
      }));
    });
    return h('table', { class: 'grid', id: g.id }, h('caption', {}, caption), h('thead', {}, h('tr', {}, heads)),
             h('tbody', {}, rows));
  }
  function reachability() {
    var cmp = !!D.comparison, s = h('section', { id: 'reachability' });
    add(s, cmp ? h('h3', {}, 'Reachability before and after') : h('h2', {}, 'Reachability'));
    add(s, h('p', {}, 'Who reaches whom: a packet from each site or VNet (row) to each other one (column) is walked ' +
             'hop by hop through the converged routing tables, both ways.'));
    var legend = h('p', { class: 'legend' },
                   h('span', {}, h('i', { class: 'ok' }), '\u2713 reachable both ways'),
                   h('span', {}, h('i', { class: 'asym' }), '\u2713* reachable, the return path differs (asymmetric)'),
                   h('span', {}, h('i', { class: 'no' }), '\u2717 not reachable (\u2192 only: one way)'));
    if (cmp) { add(legend, h('span', {}, h('i', { class: 'changed' }), 'changed by the comparison')); }
    add(s, legend);
    if (!D.reach.length) {
      add(s, h('p', { id: 'reach-grid' }, 'Fewer than two sites and VNets: nothing to walk.'));
    } else if (cmp) {
      add(s, h('div', { class: 'grids' }, D.reach.map(grid)));
    } else {
      add(s, grid(D.reach[0]));
    }
    return s;
  }

  /* ---- comparison ---- */

  function routeCell(c) {
    return c && [mono(c[0]), c[1] !== null ? ' via ' + c[1] : null, h('br', {}), mut('next hop ' + c[2])];
  }
  function effCell(c) {
    return c && [c[0], c[1] ? [' ', mono(c[1])] : null, c[2] !== null ? ' (' + c[2] + ')' : null,
                 c[3] !== null ? [h('br', {}), h('span', { class: 'mut' }, 'AS path ', mono(c[3]))] : null];
  }
  // A table of differences: one row per change, grouped by node or VNet.
  function diffTable(id, what, items, cell, none) {
    if (!items.length) { return h('p', { id: id }, none); }
    var rows = [];
    items.forEach(function (it) {
      it.rows.forEach(function (r) {
        rows.push(h('tr', { class: r[0] }, h('td', {}, it.name, it.note !== null ? [' ', mut(it.note)] : null),
                    h('td', {}, r[0]), h('td', { class: 'pfx' }, r[1]), h('td', {}, cell(r[2])),
                    h('td', {}, cell(r[3])), h('td', {}, r[4])));
      });
    });
    return table({ id: id, class: 'diff' }, [what, 'Change', 'Prefix', 'Before', 'After', 'What changed'], rows);
  }
  function reachWord(k) { return k === 0 ? 'not reachable' : k === 2 ? 'reachable, asymmetric' : 'reachable'; }
  function comparison() {
    var c = D.comparison, n = c.counts, reach = [];
    if (!c.reach.length) { reach.push('no change'); }
    c.reach.forEach(function (r, i) {
      if (i) { reach.push(h('br', {})); }
      reach.push(r[0] + ' \u2194 ' + r[1] + ': ', h('span', { class: r[2] ? 'gain' : 'loss' }, reachWord(r[2])),
                 ' \u2192 ', h('span', { class: r[3] ? 'gain' : 'loss' }, reachWord(r[3])));
    });
    var s = h('section', { id: 'comparison' }, h('h2', {}, 'What changes: ' + c.description),
              h('p', { class: 'summary-line' }, c.summary),
              h('table', { class: 'facts' }, h('tbody', {},
                fact('Best routes gained', [h('span', { class: 'gain' }, n[0]), ' at ' + n[1] + ' nodes']),
                fact('Best routes lost', [h('span', { class: 'loss' }, n[2]), ' at ' + n[3] + ' nodes']),
                fact('Best routes changed', [h('span', { class: 'chg' }, n[4]), ' at ' + n[5] + ' nodes']),
                fact('Effective-route differences', String(n[6])),
                fact('Reachability', reach))),
              reachability(),
              h('h3', {}, 'The network after, with what changed highlighted'),
              diagram('diff-diagram', c.diagram, 'The network after the change; highlighted edges and nodes differ from before.'),
              h('h3', {}, 'Best routes per node'));
    if (c.grouped && c.nodes.length) {
      add(s, h('p', { class: 'mut' }, 'Runs of prefixes with the same change share a row (',
               mono('arsim compare --json'), ' lists each).'));
    }
    add(s, diffTable('diff-nodes', 'Node', c.nodes, routeCell, 'No best route changed at any node.'));
    add(s, h('h3', {}, 'Effective routes of VMs'));
    add(s, diffTable('diff-vnets', 'VNet', c.vnets, effCell, 'No effective route changed in any VNet.'));
    return s;
  }

  /* ---- timeline ---- */

  function changes(list) {
    if (!list.length) { return 'unchanged'; }
    var out = [];
    list.forEach(function (v, i) {
      out.push(i ? h('br', {}) : null, h('b', {}, v[0]), ':');
      v[1].forEach(function (c) {
        var cls = c[0] === '+' ? 'gain mono' : c[0] === '~' ? 'chg mono' : 'loss mono';
        out.push(' ', h('span', { class: cls }, c[0] + c[1]));
        if (c[0] === '+') { out.push(' \u2192 ' + c[2]); }
        else if (c[0] === '~') { out.push(' \u2192 ' + c[2] + ', was ' + c[3]); }
        else { out.push(' (was ' + c[2] + ')'); }
      });
    });
    return out;
  }
  function timeline() {
    var t = D.timeline, s = h('section', { id: 'timeline' }, h('h2', {}, 'Timeline'),
      h('p', {}, 'The scenario\'s timed events, when routing settled after each, and what VMs saw.'));
    if (t.chart) {
      add(s, figure('chart', t.chart, 'Prefixes with a best path at each node over simulated time; dashed lines mark the events.',
                    'chart', 'chart'));
    }
    add(s, table({ id: 'timeline-table' }, ['Time (s)', 'Event', 'Settled after', 'UPDATE messages', 'Effective-route changes'],
      t.rows.map(function (r) {
        var log = r.log.length ? h('details', {}, h('summary', {}, plural(r.log.length, 'log line')),
          h('ul', { class: 'log' }, r.log.map(function (l) { return h('li', {}, mono(l.at), ' ' + l.text); }))) : null;
        return h('tr', {}, h('td', { class: 'ip' }, r.at), h('td', {}, r.event, log),
                 h('td', {}, r.settled !== null ? r.settled + ' s' : badge(false, 'not settled')),
                 h('td', {}, r.messages), h('td', {}, r.changes === null ? '\u2014' : changes(r.changes)));
      })));
    if (t.stopped) { add(s, h('p', {}, badge(false, 'run stopped'), ' at ' + t.stopped[0] + ' s: ' + t.stopped[1])); }
    return s;
  }

  /* ---- failure sweep ---- */

  function sweep() {
    return h('section', { id: 'sweep' }, h('h2', {}, 'Failures'), h('p', {}, D.sweep.headline),
      table({ id: 'sweep-table' }, ['#', 'Failure', 'Pairs cut until repaired', 'Pairs lost for a while',
                                    'Settled after (s)', 'UPDATEs', 'Routes lost', 'Repaired'],
        D.sweep.rows.map(function (r, i) {
          return h('tr', { class: r[0] }, h('td', {}, i + 1), r.slice(1).map(function (v) { return h('td', {}, v); }));
        })));
  }

  /* ---- route tables ---- */

  function sessions(list) {
    if (!list.length) { return null; }
    return table({ class: 'sessions' }, ['Session with', 'Type', 'State', 'Received', 'Advertised'], list.map(function (p) {
      var reason = p[3] === null ? null : p[2] ? [' ', mut('last down: ' + p[3])] : [' ', h('span', {}, p[3])];
      return h('tr', {}, h('td', {}, p[0]), h('td', {}, p[1] ? 'iBGP' : 'eBGP'),
               h('td', {}, badge(p[2], p[2] ? 'Established' : 'Idle'), reason), h('td', {}, p[4]), h('td', {}, p[5]));
    }));
  }
  function node(n) {
    var d = h('div', { class: 'node filterable', 'data-n': n.name }, h('h3', {}, n.name + ' ', h('small', {}, n.info)),
              sessions(n.sessions));
    if (!n.rows.length) { add(d, h('p', { class: 'mut' }, 'No routes.')); return d; }
    if (n.grouped) {
      add(d, h('p', { class: 'mut' }, n.grouped[0] + ' prefixes, ' + n.grouped[1] + ' paths: runs of prefixes with the ' +
               'same paths share a row (' + n.grouped[2] + ' rows); ', mono('arsim run --node'), ' lists each.'));
    }
    add(d, table({ class: 'routes' }, [h('th', { title: 'best path' }, '>'), 'Network', 'Next hop', 'From', 'Learned', 'AS path', 'Local pref', 'Weight',
                                       'Communities'], n.rows.map(function (r) {
      return h('tr', r[0] ? { class: 'best', 'data-n': n.name, 'data-p': r[1] } : { 'data-alt': '1', 'data-n': n.name, 'data-p': r[1] },
               h('td', { class: 'mark' }, r[0] ? '>' : ''), h('td', { class: 'pfx' }, r[2] || r[1]), h('td', { class: 'ip' }, r[3]),
               h('td', {}, r[4] === null ? '(local)' : r[4]), h('td', {}, r[5]), h('td', { class: 'path' }, r[6]),
               h('td', {}, r[7]), h('td', {}, r[8]), h('td', { class: 'path' }, r[9]));
    })));
    return d;
  }
  function effTable(t) {
    var out = [];
    if (t.grouped) {
      out.push(h('p', { class: 'mut' }, t.grouped[0] + ' routes: runs of prefixes with the same next hop share a row (' +
                 t.grouped[1] + ' rows).'));
    }
    out.push(table({ class: 'eff' }, ['Source', 'Address prefix', 'Next hop type', 'Next hop IP', 'Via', 'AS path'],
      t.rows.map(function (r) {
        return h('tr', { 'data-n': t.n, 'data-p': r[0] }, h('td', {}, r[2]), h('td', { class: 'pfx' }, r[1] || r[0]),
                 h('td', {}, r[3]), h('td', { class: 'ip' }, r[4]), h('td', {}, r[5]), h('td', { class: 'path' }, r[6]));
      })));
    return out;
  }
  function hubNote(hub) { return hub !== null ? [' ', h('small', {}, 'uses the gateways of ' + hub)] : null; }
  function block(b) {
    if (b.k === 'shared') {
      return h('div', { class: 'vnet shared filterable', id: 'shared-' + b.id, 'data-n': b.all },
               h('h3', {}, 'Shared by ' + b.list + ' ', h('small', {}, plural(b.members, 'VNet')), hubNote(b.hub)),
               effTable(b.table));
    }
    if (b.k === 'layer') {
      var hidden = null, n = b.hidden[0], named = b.hidden[1];
      if (n) {
        hidden = h('p', { class: 'mut' }, 'Does not have ' + plural(n, 'route') + ' of the shared table (its own spaces cover them): ',
                   named.map(function (p, i) { return [i ? ', ' : null, mono(p)]; }),
                   n > named.length ? ' and ' + (n - named.length) + ' more' : null, '.');
      }
      return h('div', { class: 'vnet layer filterable', 'data-n': b.name },
               h('h3', {}, b.name + ' ', h('small', {}, b.len + ' effective routes: ',
                 h('a', { href: '#shared-' + b.shared }, 'the shared table'), ' and its own')),
               hidden, effTable(b.table));
    }
    return h('div', { class: 'vnet filterable', 'data-n': b.name },
             h('h3', {}, b.name, b.subnet ? [' ', h('small', {}, 'subnet with a route table')] : null, hubNote(b.hub)),
             effTable(b.table));
  }
  function tables() {
    var e = D.effective;
    var filter = h('div', { class: 'filter', id: 'filter', role: 'search' },
      h('label', {}, 'Prefix contains ', h('input', { type: 'search', id: 'f-prefix', placeholder: 'e.g. 10.200', autocomplete: 'off' })),
      h('label', {}, 'Node or VNet ', h('input', { type: 'search', id: 'f-node', placeholder: 'e.g. sdwan', autocomplete: 'off' })),
      h('label', {}, h('input', { type: 'checkbox', id: 'f-best' }), ' best paths only'),
      h('span', { id: 'f-count', class: 'mut' }, 'all rows shown'));
    var routes = h('section', { id: 'routes' }, h('h2', {}, 'Routing tables'),
      h('p', {}, 'Every path each BGP speaker holds, per prefix; ', h('b', {}, '>'), ' marks the best path (the Loc-RIB).'),
      D.nodes.map(node));
    var eff = h('section', { id: 'effective' }, h('h2', {}, 'Effective routes of VMs'),
      h('p', {}, 'What the VMs of each VNet would show as effective routes on their network interfaces.'));
    if (e.shared) {
      add(eff, h('p', {}, e.shared[0] + ' VNets share ' + e.shared[1] + ' distinct tables: each is shown once with the VNets ' +
                 'sharing it, then each VNet\'s own routes on top of it (its space, its peerings).'));
    }
    add(eff, e.blocks.map(block));
    return h('div', { id: 'tables' }, filter, routes, eff);
  }

  /* ---- the page ---- */

  function page() {
    var nav = h('nav', { class: 'toc' }, h('a', { href: '#summary' }, 'Summary'),
                D.comparison ? h('a', { href: '#comparison' }, 'What changes') : null,
                h('a', { href: '#diagram' }, 'Diagram'), h('a', { href: '#reachability' }, 'Reachability'),
                D.timeline ? h('a', { href: '#timeline' }, 'Timeline') : null,
                D.sweep ? h('a', { href: '#sweep' }, 'Failures') : null,
                h('a', { href: '#routes' }, 'Routing tables'), h('a', { href: '#effective' }, 'Effective routes'));
    var header = h('header', {}, h('h1', {}, D.title), D.description !== null ? h('p', { class: 'desc' }, D.description) : null, nav);
    var main = h('main', {}, summary(), D.comparison ? comparison() : null,
                 h('section', { id: 'diagram-section' }, h('h2', {}, 'Topology'),
                   diagram('diagram', D.diagram, D.comparison ? 'The network before the change, with the routes sent each way on every session.'
                                                              : 'The network, with the routes sent each way on every session.')),
                 D.comparison ? null : reachability(), D.timeline ? timeline() : null, D.sweep ? sweep() : null, tables());
    var footer = h('footer', {}, 'Generated by arsim from ', mono(D.source), '. Self-contained: no external files or network access.');
    var first = document.body.firstChild;
    [header, main, footer].forEach(function (e) { document.body.insertBefore(e, first); });
  }
  page();

  /* ---- zoom, filter and pages ---- */

  document.body.classList.add('js');
  Array.prototype.forEach.call(document.querySelectorAll('figure.fig'), function (f) {
    f.addEventListener('click', function () { f.classList.toggle('zoom'); });
  });
  var fp = document.getElementById('f-prefix'), fn = document.getElementById('f-node');
  var fb = document.getElementById('f-best'), fc = document.getElementById('f-count');
  var groups = Array.prototype.slice.call(document.querySelectorAll('.filterable'));
  var paged = Array.prototype.slice.call(document.querySelectorAll('table.routes, table.eff, table.diff'));
  var PAGE = 100;
  function norm(s) { return (s || '').trim().toLowerCase(); }
  function pager(t) {
    if (t.pg) { return t.pg; }
    var d = document.createElement('div'), prev = document.createElement('button');
    var next = document.createElement('button'), info = document.createElement('span');
    d.className = 'pager';
    prev.type = 'button'; next.type = 'button';
    prev.textContent = '\u25c0 previous'; next.textContent = 'next \u25b6';
    d.appendChild(prev); d.appendChild(info); d.appendChild(next);
    t.parentNode.insertBefore(d, t.nextSibling);
    t.pageNo = 0;
    prev.addEventListener('click', function () { t.pageNo--; paint(t); });
    next.addEventListener('click', function () { t.pageNo++; paint(t); });
    t.pg = { box: d, info: info, prev: prev, next: next };
    return t.pg;
  }
  function paint(t) {
    var rows = t.tBodies[0].rows, kept = [], i;
    for (i = 0; i < rows.length; i++) { if (!rows[i].fhide) { kept.push(rows[i]); } }
    if (kept.length <= PAGE && !t.pg) {
      for (i = 0; i < rows.length; i++) { if (rows[i].hidden !== !!rows[i].fhide) { rows[i].hidden = !!rows[i].fhide; } }
      return;
    }
    var pg = pager(t), pages = Math.max(1, Math.ceil(kept.length / PAGE));
    t.pageNo = Math.min(Math.max(t.pageNo, 0), pages - 1);
    var from = t.pageNo * PAGE, to = Math.min(kept.length, from + PAGE);
    for (i = 0; i < rows.length; i++) { rows[i].hidden = true; }
    for (i = from; i < to; i++) { kept[i].hidden = false; }
    pg.info.textContent = ' rows ' + (kept.length ? from + 1 : 0) + '\u2013' + to + ' of ' + kept.length + ' ';
    pg.prev.disabled = t.pageNo === 0;
    pg.next.disabled = t.pageNo >= pages - 1;
    pg.box.hidden = kept.length <= PAGE;
    t.setAttribute('data-page', String(t.pageNo + 1));
  }
  function apply() {
    var p = norm(fp.value), n = norm(fn.value), best = fb.checked, shown = 0, total = 0;
    groups.forEach(function (g) {
      var rows = g.querySelectorAll('tr[data-p]'), visible = 0, gn = g.getAttribute('data-n');
      for (var i = 0; i < rows.length; i++) {
        var r = rows[i];
        var ok = (!n || norm(r.getAttribute('data-n') || gn).indexOf(n) >= 0) &&
                 (!p || norm(r.getAttribute('data-p')).indexOf(p) >= 0) &&
                 (!best || !r.hasAttribute('data-alt'));
        r.fhide = !ok;
        total++;
        if (ok) { visible++; shown++; }
      }
      var named = !n || norm(gn).indexOf(n) >= 0;
      var hide = !named || (rows.length > 0 && visible === 0);
      if (g.hidden !== hide) { g.hidden = hide; }
    });
    paged.forEach(paint);
    fc.textContent = shown + ' of ' + total + ' rows shown';
  }
  function fromHash() {
    location.hash.replace(/^#/, '').split('&').forEach(function (kv) {
      var i = kv.indexOf('='), k, v;
      if (i <= 0) { return; }
      k = kv.slice(0, i);
      try { v = decodeURIComponent(kv.slice(i + 1)); } catch (e) { return; }
      if (k === 'prefix') { fp.value = v; }
      else if (k === 'node') { fn.value = v; }
      else if (k === 'best') { fb.checked = v === '1'; }
    });
  }
  fp.addEventListener('input', apply);
  fn.addEventListener('input', apply);
  fb.addEventListener('change', apply);
  window.addEventListener('hashchange', function () { fromHash(); apply(); });
  fromHash();
  apply();
  document.body.setAttribute('data-js', 'ready');
})();
//]]>
