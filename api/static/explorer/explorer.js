/* fazhi-kg graph explorer: search a node, expand/collapse neighbours, read the evidence.
 *
 * Data: GET /graph/suggest?q= (the search box) and GET /graph/nodes/{id}/neighbours (one
 * expansion). Layout: new neighbours start on a ring around the expanded node, then ONE run of
 * fcose (animation off, bounded iterations) with every node that was already there fixed in
 * place: nothing moves by itself afterwards. Everything is served by the app itself.
 */
(function () {
  'use strict';

  var KINDS = [
    { kind: 'jurisdiction', color: '#1f77b4', zh: '行政区', shape: 'round-rectangle' },
    { kind: 'agency', color: '#ff7f0e', zh: '机关', shape: 'ellipse' },
    { kind: 'program', color: '#2ca02c', zh: '制度/项目', shape: 'round-diamond' },
    { kind: 'document', color: '#9467bd', zh: '文件', shape: 'rectangle' },
    { kind: 'metric', color: '#d62728', zh: '数据', shape: 'triangle' },
    { kind: 'report', color: '#8c564b', zh: '报告', shape: 'hexagon' },
    { kind: 'sentence', color: '#7f7f7f', zh: '句子', shape: 'ellipse' }
  ];
  var LEGEND_KINDS = ['jurisdiction', 'agency', 'program', 'document', 'metric', 'report'];
  var KIND = {};
  KINDS.forEach(function (k) { KIND[k.kind] = k; });
  var EDGE_ZH = {
    runs: '开展', plans: '计划', mentions: '提及', issued: '印发', cites: '引用',
    observed: '数据', reporter: '报告主体', reporter_candidate: '可能的报告主体',
    reporting_agency: '报告部门', within: '隶属', of_jurisdiction: '所属', issuer: '发文机关',
    broader: '上位', duplicate_of: '重复', agency: '机关', in_report: '所在报告'
  };
  var SECTION_ZH = { achievements: '主要成效', problems: '问题不足', plans: '下一步打算', other: '其他' };
  var FONT_FAMILY = '"Noto Sans SC", sans-serif';
  var LABEL_MAX = 16;

  var state = {
    expanded: new Map(),   // node id -> {nodes: Set, edges: Set, truncated, counts}
    owners: new Map(),     // node id -> Set of expanded node ids that brought it in
    edgeOwners: new Map(), // edge id -> Set of expanded node ids
    pinned: new Set(),     // nodes added from the search box
    hiddenKinds: new Set(),
    year: null,
    years: new Set(),
    busy: 0
  };

  var $ = function (id) { return document.getElementById(id); };
  var statusEl = $('status');

  function setStatus(text, isError) {
    statusEl.textContent = text || '';
    statusEl.className = isError ? 'error' : '';
  }

  function short(text) {
    text = text || '';
    return text.length > LABEL_MAX ? text.slice(0, LABEL_MAX - 1) + '…' : text;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        if (k === 'text') node.textContent = attrs[k];
        else if (k === 'class') node.className = attrs[k];
        else if (k === 'style') node.setAttribute('style', attrs[k]);
        else node.setAttribute(k, attrs[k]);
      });
    }
    (children || []).forEach(function (c) {
      if (c != null) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }

  function getJSON(url) {
    return fetch(url, { headers: { Accept: 'application/json' } }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) {
          var msg = body && body.error ? body.error.message : r.status + ' ' + r.statusText;
          throw new Error(msg);
        }
        return body;
      });
    });
  }

  // ---------------------------------------------------------------- fonts
  // Canvas text does not wait for web fonts: load the slices the labels need, then redraw.
  function ensureFont(texts) {
    if (!document.fonts || !document.fonts.load) return Promise.resolve();
    var sample = texts.join('').slice(0, 4000) || '中文';
    return document.fonts.load('14px ' + FONT_FAMILY, sample).then(function () {
      if (cy) cy.style().update();
    }, function () { /* fall back to system fonts */ });
  }

  // ---------------------------------------------------------------- graph
  if (typeof cytoscapeFcose !== 'undefined') cytoscape.use(cytoscapeFcose);
  var hasFcose = typeof cytoscapeFcose !== 'undefined';

  var style = [
    {
      selector: 'node',
      style: {
        'label': 'data(short)',
        'font-family': FONT_FAMILY,
        'font-size': 12,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-wrap': 'none',
        'color': '#1d2733',
        'text-outline-color': '#fff',
        'text-outline-width': 2,
        'min-zoomed-font-size': 8,
        'width': 22,
        'height': 22,
        'border-width': 1,
        'border-color': '#fff'
      }
    },
    { selector: 'node.expanded', style: { 'border-width': 3, 'border-color': '#333' } },
    { selector: 'node.pinned', style: { 'width': 30, 'height': 30, 'font-size': 14 } },
    {
      selector: 'node:selected',
      style: { 'overlay-color': '#0b5cad', 'overlay-opacity': 0.18, 'overlay-padding': 6 }
    },
    {
      selector: 'edge',
      style: {
        'width': 1.5,
        'line-color': '#aab2bd',
        'target-arrow-color': '#aab2bd',
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        'label': 'data(label)',
        'font-family': FONT_FAMILY,
        'font-size': 9,
        'color': '#5f6b7a',
        'text-rotation': 'autorotate',
        'text-outline-color': '#fff',
        'text-outline-width': 2
      }
    },
    { selector: 'edge[?evidence]', style: { 'line-color': '#7d8896', 'target-arrow-color': '#7d8896' } },
    { selector: 'edge[kind = "plans"]', style: { 'line-style': 'dashed' } },
    {
      selector: 'edge:selected',
      style: { 'width': 4, 'line-color': '#0b5cad', 'target-arrow-color': '#0b5cad', 'color': '#0b5cad' }
    },
    { selector: '.hidden', style: { 'display': 'none' } }
  ];
  KINDS.forEach(function (k) {
    style.push({
      selector: 'node[kind = "' + k.kind + '"]',
      style: { 'background-color': k.color, 'shape': k.shape }
    });
  });

  var cy = cytoscape({
    container: $('cy'),
    elements: [],
    style: style,
    layout: { name: 'preset' },
    minZoom: 0.15,
    maxZoom: 3,
    boxSelectionEnabled: false,
    selectionType: 'single'
  });

  function nodeData(n) {
    return { id: n.id, kind: n.kind, label: n.label, short: short(n.label), year: n.year, info: n };
  }

  function edgeData(e) {
    return {
      id: e.id, source: e.source, target: e.target, kind: e.kind, year: e.year,
      evidence: e.evidence || null, count: e.count, label: EDGE_ZH[e.kind] || e.kind, info: e
    };
  }

  function addNode(n, position, pinned) {
    var existing = cy.getElementById(n.id);
    if (existing.nonempty()) {
      if (pinned) { state.pinned.add(n.id); existing.addClass('pinned'); }
      return existing;
    }
    var ext = cy.extent();
    var pos = position || { x: (ext.x1 + ext.x2) / 2, y: (ext.y1 + ext.y2) / 2 };
    var added = cy.add({ group: 'nodes', data: nodeData(n), position: pos });
    if (pinned) { state.pinned.add(n.id); added.addClass('pinned'); }
    return added;
  }

  function ringPositions(centre, count) {
    var radius = Math.max(110, 24 * Math.sqrt(count) * 3);
    var out = [];
    for (var i = 0; i < count; i++) {
      var a = (2 * Math.PI * i) / Math.max(count, 1) - Math.PI / 2;
      out.push({ x: centre.x + radius * Math.cos(a), y: centre.y + radius * Math.sin(a) });
    }
    return out;
  }

  // one bounded, non-animated layout run; nodes that were already placed stay where they are
  function layoutNew(newIds, count) {
    var edgeLength = 80 + 8 * Math.sqrt(count || 1);
    if (!hasFcose || newIds.size === 0) return;
    var fixed = [];
    cy.nodes().forEach(function (n) {
      if (!newIds.has(n.id())) fixed.push({ nodeId: n.id(), position: { x: n.position('x'), y: n.position('y') } });
    });
    if (fixed.length === 0) return;
    var before = {};
    fixed.forEach(function (f) { before[f.nodeId] = f.position; });
    try {
      cy.layout({
        name: 'fcose',
        quality: 'default',
        randomize: false,
        animate: false,
        fit: false,
        packComponents: false,
        tile: false,
        numIter: 1500,
        nodeDimensionsIncludeLabels: true,
        idealEdgeLength: function () { return edgeLength; },
        nodeRepulsion: function () { return 12000; },
        fixedNodeConstraint: fixed
      }).run();
    } catch (err) {
      console.warn('layout failed, keeping the ring', err);
    }
    // guarantee: the nodes that were there keep their exact positions
    cy.nodes().forEach(function (n) {
      var p = before[n.id()];
      if (p) n.position({ x: p.x, y: p.y });
    });
  }

  // fit everything visible, without blowing a handful of nodes up to a huge zoom
  function fitView() {
    cy.fit(cy.elements(':visible'), 40);
    if (cy.zoom() > 1.2) {
      cy.zoom(1.2);
      cy.center(cy.elements(':visible'));
    }
  }

  function expand(id) {
    var node = cy.getElementById(id);
    if (node.empty() || state.expanded.has(id)) return Promise.resolve();
    state.busy++;
    setStatus('载入 loading ' + node.data('label') + ' …');
    var res;
    return getJSON('/graph/nodes/' + encodeURIComponent(id) + '/neighbours').then(function (body) {
      res = body;
      // the font slices first: a label drawn before its glyphs arrive stays cached as tofu
      return ensureFont(res.nodes.map(function (n) { return n.label; }).concat(Object.values(EDGE_ZH)));
    }).then(function () {
      var centre = node.position();
      var fresh = res.nodes.filter(function (n) { return n.id !== id && cy.getElementById(n.id).empty(); });
      var ring = ringPositions(centre, fresh.length);
      var rec = { nodes: new Set(), edges: new Set(), truncated: res.truncated || {}, counts: res.counts || {} };
      var newIds = new Set();
      cy.batch(function () {
        fresh.forEach(function (n, i) { addNode(n, ring[i], false); newIds.add(n.id); });
        res.nodes.forEach(function (n) {
          if (n.id === id) return;
          rec.nodes.add(n.id);
          if (!state.owners.has(n.id)) state.owners.set(n.id, new Set());
          state.owners.get(n.id).add(id);
        });
        res.edges.forEach(function (e) {
          if (cy.getElementById(e.id).empty()) cy.add({ group: 'edges', data: edgeData(e) });
          rec.edges.add(e.id);
          if (!state.edgeOwners.has(e.id)) state.edgeOwners.set(e.id, new Set());
          state.edgeOwners.get(e.id).add(id);
          if (e.year) state.years.add(e.year);
        });
      });
      state.expanded.set(id, rec);
      node.addClass('expanded');
      layoutNew(newIds, fresh.length);
      refreshYears();
      applyFilters();
      fitView();
      var left = Object.keys(rec.truncated).map(function (k) { return k + ' ' + rec.truncated[k]; });
      setStatus(node.data('label') + ': ' + rec.nodes.size + ' 个邻居 neighbours' +
        (left.length ? '（未显示 left out: ' + left.join(', ') + '）' : ''));
      if (cy.$(':selected').id() === id) showNode(node);
    }).catch(function (err) {
      setStatus('错误 error: ' + err.message, true);
    }).finally(function () { state.busy--; });
  }

  function collapse(id) {
    var rec = state.expanded.get(id);
    if (!rec) return;
    state.expanded.delete(id);
    cy.getElementById(id).removeClass('expanded');
    cy.batch(function () {
      rec.edges.forEach(function (eid) {
        var owners = state.edgeOwners.get(eid);
        if (owners) owners.delete(id);
        if (!owners || owners.size === 0) {
          state.edgeOwners.delete(eid);
          cy.getElementById(eid).remove();
        }
      });
      rec.nodes.forEach(function (nid) {
        var owners = state.owners.get(nid);
        if (owners) owners.delete(id);
        if ((!owners || owners.size === 0) && !state.pinned.has(nid) && !state.expanded.has(nid)) {
          state.owners.delete(nid);
          cy.getElementById(nid).remove();
        }
      });
    });
    applyFilters();
    setStatus(cy.getElementById(id).data('label') + ': 已收起 collapsed');
  }

  function toggle(id) {
    return state.expanded.has(id) ? (collapse(id), Promise.resolve()) : expand(id);
  }

  // ---------------------------------------------------------------- filters
  function applyFilters() {
    var y = state.year;
    cy.batch(function () {
      var edgeOk = function (e) { return y == null || e.data('year') == null || e.data('year') === y; };
      cy.nodes().forEach(function (n) {
        var kindOk = !state.hiddenKinds.has(n.data('kind'));
        var anchored = state.pinned.has(n.id()) || state.expanded.has(n.id());
        var linked = anchored || n.connectedEdges().some(function (e) {
          if (!edgeOk(e)) return false;
          var other = e.source().id() === n.id() ? e.target() : e.source();
          return !state.hiddenKinds.has(other.data('kind'));
        });
        n.toggleClass('hidden', !(kindOk && linked));
      });
      cy.edges().forEach(function (e) {
        var visible = edgeOk(e) && !e.source().hasClass('hidden') && !e.target().hasClass('hidden');
        e.toggleClass('hidden', !visible);
      });
    });
    updateLegendCounts();
  }

  function refreshYears() {
    var select = $('year');
    var current = select.value;
    var years = Array.from(state.years).sort();
    while (select.options.length > 1) select.remove(1);
    years.forEach(function (y) { select.appendChild(el('option', { value: String(y), text: String(y) })); });
    select.value = years.indexOf(Number(current)) >= 0 ? current : '';
  }

  function buildLegend() {
    var list = $('kinds');
    LEGEND_KINDS.forEach(function (kind) {
      var k = KIND[kind];
      var box = el('input', { type: 'checkbox', checked: 'checked', 'data-kind': kind });
      box.addEventListener('change', function () {
        if (box.checked) state.hiddenKinds.delete(kind); else state.hiddenKinds.add(kind);
        applyFilters();
      });
      list.appendChild(el('li', null, [el('label', { title: kind }, [
        box,
        el('span', { class: 'dot', style: 'background:' + k.color }),
        el('span', { text: k.zh + ' ' + kind }),
        el('span', { class: 'count', 'data-count': kind, text: '' })
      ])]));
    });
  }

  function updateLegendCounts() {
    LEGEND_KINDS.forEach(function (kind) {
      var span = document.querySelector('[data-count="' + kind + '"]');
      var n = cy.nodes('[kind = "' + kind + '"]').length;
      if (span) span.textContent = n ? '(' + n + ')' : '';
    });
  }

  // ---------------------------------------------------------------- side panel
  function kindTag(kind) {
    var k = KIND[kind] || { color: '#999', zh: kind };
    return el('span', { class: 'kindtag', style: 'background:' + k.color, text: k.zh + ' ' + kind });
  }

  function dl(pairs) {
    var list = el('dl');
    pairs.forEach(function (p) {
      if (p[1] == null || p[1] === '') return;
      list.appendChild(el('dt', { text: p[0] }));
      list.appendChild(el('dd', null, [p[1] instanceof Node ? p[1] : String(p[1])]));
    });
    return list;
  }

  function highlighted(sentence, surface) {
    var q = el('blockquote', { class: 'sentence' });
    var at = surface ? sentence.indexOf(surface) : -1;
    if (at < 0) { q.textContent = sentence; return q; }
    q.appendChild(document.createTextNode(sentence.slice(0, at)));
    q.appendChild(el('mark', { text: surface }));
    q.appendChild(document.createTextNode(sentence.slice(at + surface.length)));
    return q;
  }

  function showNode(node) {
    var n = node.data('info');
    var details = $('details');
    details.textContent = '';
    var attrs = n.attrs || {};
    var pairs = [['年份 year', n.year]];
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (k === 'url' && /^https?:\/\//.test(v)) {
        v = el('a', { href: v, target: '_blank', rel: 'noopener noreferrer', text: v });
      } else if (typeof v === 'boolean') {
        if (!v) return;
        v = 'yes';
      }
      pairs.push([k, v]);
    });
    var rec = state.expanded.get(n.id);
    var button = el('button', { type: 'button', id: 'toggle', text: rec ? '收起 Collapse' : '展开 Expand' });
    button.addEventListener('click', function () { toggle(n.id).then(function () { showNode(node); }); });
    var children = [
      kindTag(n.kind),
      el('h3', { text: n.label }),
      dl(pairs),
      el('div', { class: 'actions' }, [button])
    ];
    if (rec) {
      var counts = Object.keys(rec.counts).map(function (k) { return k + ' ' + rec.counts[k]; }).join(', ');
      children.push(el('p', { text: '邻居 neighbours: ' + counts }));
      var left = Object.keys(rec.truncated);
      if (left.length) {
        children.push(el('p', {
          class: 'truncated',
          text: '未显示 left out (hub cap): ' + left.map(function (k) { return k + ' ' + rec.truncated[k]; }).join(', ')
        }));
      }
    }
    children.push(el('p', { class: 'iri', text: n.id }));
    children.forEach(function (c) { details.appendChild(c); });
  }

  function showEdge(edge) {
    var e = edge.data('info');
    var details = $('details');
    details.textContent = '';
    var src = edge.source().data('label');
    var tgt = edge.target().data('label');
    details.appendChild(el('span', { class: 'kindtag', style: 'background:#5f6b7a', text: (EDGE_ZH[e.kind] || e.kind) + ' ' + e.kind }));
    details.appendChild(el('h3', { text: src + ' → ' + tgt }));
    var ev = e.evidence;
    var pairs = [['年份 year', e.year], ['提及 mentions', e.count]];
    if (ev) {
      details.appendChild(highlighted(ev.sentence, ev.surface));
      var report = el('a', { href: '/reports/' + encodeURIComponent(ev.report), text: ev.report });
      var source = ev.url && /^https?:\/\//.test(ev.url)
        ? el('a', { href: ev.url, target: '_blank', rel: 'noopener noreferrer', class: 'source', text: ev.url })
        : '（未记录 no source URL recorded）';
      pairs.push(['章节 section', ev.section ? (SECTION_ZH[ev.section] || '') + ' ' + ev.section : null]);
      pairs.push(['否定 negated', ev.negated ? 'yes' : null]);
      pairs.push(['报告 report', report]);
      pairs.push(['来源 source', source]);
    } else {
      details.appendChild(el('p', { class: 'hint', text: '结构关系，无出处句子。A structural link: no sentence behind it.' }));
    }
    details.appendChild(dl(pairs));
    details.appendChild(el('p', { class: 'iri', text: e.source + ' → ' + e.target }));
  }

  function clearDetails() {
    var details = $('details');
    details.textContent = '';
    details.appendChild(el('p', { class: 'hint', text: '点击节点或连线查看详情。Click a node or an edge.' }));
  }

  cy.on('tap', 'node', function (evt) {
    var node = evt.target;
    cy.elements().unselect();
    node.select();
    showNode(node);
    toggle(node.id()).then(function () {
      if (node.inside()) showNode(node);
    });
  });
  cy.on('tap', 'edge', function (evt) {
    cy.elements().unselect();
    evt.target.select();
    showEdge(evt.target);
  });
  cy.on('tap', function (evt) {
    if (evt.target === cy) { cy.elements().unselect(); clearDetails(); }
  });

  // ---------------------------------------------------------------- search box
  var input = $('q');
  var list = $('suggestions');
  var items = [];
  var active = -1;
  var timer = null;
  var seq = 0;

  function closeList() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    active = -1;
  }

  function renderList() {
    list.textContent = '';
    if (!items.length) {
      list.appendChild(el('li', { class: 'empty', text: '无结果 no match' }));
    }
    items.forEach(function (it, i) {
      var k = KIND[it.kind] || { color: '#999', zh: it.kind };
      var li = el('li', { role: 'option', 'data-ref': it.ref, 'data-kind': it.kind, 'aria-selected': i === active ? 'true' : 'false' }, [
        el('span', { class: 'dot', style: 'background:' + k.color }),
        el('span', { class: 'label', text: it.label }),
        it.note ? el('span', { class: 'matched', text: it.note }) : null,
        el('span', { class: 'kind', text: k.zh + ' ' + it.kind + (it.year ? ' ' + it.year : '') })
      ]);
      li.addEventListener('mousedown', function (ev) { ev.preventDefault(); pick(i); });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    ensureFont(items.map(function (it) { return it.label; }));
  }

  // /search (names, aliases, traditional characters, pinyin) when the app has it, plus the
  // explorer's own /graph/suggest for figures (metric observations); /graph/suggest alone
  // otherwise
  var hasSearch = true;

  function fromSearch(hit) {
    return {
      ref: hit.kind === 'jurisdiction' ? hit.id : hit.kind + '/' + hit.id,
      kind: hit.kind, label: hit.label, note: hit.note || null, year: null, node: null
    };
  }

  function fromSuggest(n) {
    return { ref: n.id, kind: n.kind, label: n.label, note: n.matched ? '= ' + n.matched : null, year: n.year, node: n };
  }

  function lookup(text) {
    var mine = ++seq;
    var q = encodeURIComponent(text);
    var search = hasSearch
      ? getJSON('/search?limit=10&q=' + q).then(function (res) {
        return (res.items || []).map(fromSearch);
      }, function (err) {
        if (/^404|Not Found/.test(err.message)) hasSearch = false;
        return null;
      })
      : Promise.resolve(null);
    search.then(function (found) {
      var url = '/graph/suggest?limit=' + (found ? 5 : 12) + '&q=' + q + (found ? '&kinds=metric' : '');
      return getJSON(url).then(function (res) {
        return (found || []).concat((res.items || []).map(fromSuggest));
      }, function () { return found || []; });
    }).then(function (all) {
      if (mine !== seq) return;
      items = all;
      active = items.length ? 0 : -1;
      renderList();
    }).catch(function (err) { setStatus('错误 error: ' + err.message, true); });
  }

  function pick(i) {
    var it = items[i];
    if (!it) return;
    closeList();
    input.value = it.label;
    var node = it.node
      ? Promise.resolve(it.node)
      : getJSON('/graph/nodes/' + encodeURIComponent(it.ref));
    node.then(function (n) {
      return ensureFont([n.label]).then(function () { place(n); });
    }).catch(function (err) { setStatus('错误 error: ' + err.message, true); });
  }

  function place(it) {
    var node = addNode(it, null, true);
    applyFilters();
    cy.elements().unselect();
    node.select();
    showNode(node);
    if (cy.nodes().length === 1) { cy.zoom(1.2); cy.center(node); }
    setStatus('已添加 added ' + it.label + '：点击节点展开 click it to expand');
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    var text = input.value.trim();
    if (!text) { closeList(); return; }
    timer = setTimeout(function () { lookup(text); }, 150);
  });
  input.addEventListener('keydown', function (ev) {
    if (list.hidden) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (!items.length) return;
      active = (active + (ev.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      renderList();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      pick(active < 0 ? 0 : active);
    } else if (ev.key === 'Escape') {
      closeList();
    }
  });
  input.addEventListener('blur', function () { setTimeout(closeList, 100); });

  // ---------------------------------------------------------------- toolbar
  $('year').addEventListener('change', function () {
    state.year = this.value ? Number(this.value) : null;
    applyFilters();
  });
  $('fit').addEventListener('click', fitView);
  $('clear').addEventListener('click', function () {
    cy.elements().remove();
    state.expanded.clear(); state.owners.clear(); state.edgeOwners.clear(); state.pinned.clear();
    state.years.clear(); refreshYears(); clearDetails(); updateLegendCounts(); setStatus('');
  });

  buildLegend();
  ensureFont(['图谱浏览中文字体', KINDS.map(function (k) { return k.zh; }).join('')]);

  // for tests and the console
  window.explorer = {
    cy: cy, state: state, expand: expand, collapse: collapse, toggle: toggle,
    addNode: addNode, applyFilters: applyFilters, hasFcose: hasFcose
  };
})();
