'use strict';
// The board, kept up to date by the hub's server-sent events: each event
// is the whole board (a few kB at most), drawn again with textContent
// only, so no name can ever turn into markup.

const $ = (id) => document.getElementById(id);

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = String(text);
  return e;
}

let seen = null; // score lines on the board before, to mark the new ones

function scoreKey(g, s) { return g.game + '|' + s.player + '|' + s.carrier + '|' + s.score; }

function drawGames(games) {
  const box = $('games');
  const now = new Set();
  box.replaceChildren();
  if (games.length === 0) {
    box.append(el('p', 'empty', 'No scores yet today: play at one of the carriers!'));
  }
  for (const g of games) {
    const card = el('article', 'card game');
    card.append(el('h3', '', g.title || g.game));
    const list = el('ol', 'top');
    g.top.forEach((s, i) => {
      const key = scoreKey(g, s);
      now.add(key);
      const row = el('li', 'score' + (seen && !seen.has(key) ? ' new' : ''));
      row.append(el('span', 'place', i + 1), el('span', 'player', s.player), el('span', 'carrier', s.carrier), el('span', 'points', s.score));
      list.append(row);
    });
    card.append(list);
    box.append(card);
  }
  seen = now;
}

const battleWords = { starting: 'starting', playing: 'in play', won: 'won', draw: 'a draw' };

function drawBattles(battles) {
  $('battles').hidden = battles.length === 0;
  const box = $('battle-list');
  box.replaceChildren();
  for (const b of battles) {
    const card = el('article', 'card battle ' + b.state);
    const head = el('h3', '', 'Battle of ' + b.title);
    head.append(el('span', 'state', battleWords[b.state] || b.state));
    card.append(head, el('p', 'caller', 'called by ' + b.caller));
    const list = el('ol', 'rows');
    for (const r of b.rows) {
      const row = el('li', 'row' + (r.winner ? ' winner' : '') + (r.final ? ' final' : ''));
      row.append(el('span', 'carrier', r.carrier), el('span', 'player', r.player || (r.final ? '' : 'playing…')), el('span', 'points', r.score));
      list.append(row);
    }
    card.append(list);
    box.append(card);
  }
}

function drawCarriers(carriers) {
  const box = $('carriers');
  box.replaceChildren();
  for (const c of carriers) {
    const li = el('li', 'carrier-card ' + (c.online ? 'online' : 'offline'));
    li.append(el('span', 'dot'), el('span', 'name', c.name));
    const facts = el('span', 'facts');
    if (!c.online) {
      facts.append(el('span', 'fact', 'away'));
    } else {
      if (c.battery !== undefined) {
        const bat = el('span', 'fact battery' + (c.battery <= 20 ? ' low' : ''));
        const bar = el('span', 'bar');
        const fill = el('span', 'fill');
        fill.style.width = Math.max(0, Math.min(100, c.battery)) + '%';
        bar.append(fill);
        bat.append(bar, el('span', '', c.battery + ' %'));
        facts.append(bat);
      }
      if (c.camera !== undefined) facts.append(el('span', 'fact camera', c.camera ? 'camera on' : 'demo reel'));
    }
    facts.append(el('span', 'fact games', c.games + (c.games === 1 ? ' game today' : ' games today')));
    li.append(facts);
    box.append(li);
  }
}

function draw(board) {
  $('day').textContent = board.day;
  drawBattles(board.battles);
  drawGames(board.games);
  drawCarriers(board.carriers);
}

function live(on) {
  const l = $('live');
  l.textContent = on ? 'live' : 'reconnecting';
  l.className = 'live' + (on ? '' : ' off');
}

// EventSource reconnects by itself after a drop (the hub says how soon).
const events = new EventSource('events');
events.addEventListener('board', (e) => { draw(JSON.parse(e.data)); live(true); });
events.addEventListener('error', () => live(false));
