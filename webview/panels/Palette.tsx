/**
 * Every layer of the catalogue plus containers and the document's blocks, grouped and searchable.
 * Drag an item onto the canvas, or double-click it (or press Enter) to insert after the selected node.
 */
import { memo, useMemo, useState } from 'react';
import { CATEGORIES, LAYERS, STRUCTURAL } from '../../engine/graph/catalogue';

export interface PaletteItem {
  op: string;
  block?: string;
  label: string;
  doc: string;
  /** The layer's shape rule, shown in the tooltip (not searched: 'same shape' would match every activation). */
  shapeRule?: string;
  group: string;
}

/** The catalogue's categories in its order, then the structural groups. */
const GROUPS: [string, string][] = [...CATEGORIES.map((c): [string, string] => [c.id, c.title]), ['container', 'Containers'], ['block', 'Blocks']];

export const PALETTE_MIME = 'application/x-nnblocks-palette';

export function paletteItems(blockNames: string[]): PaletteItem[] {
  const items: PaletteItem[] = LAYERS.map((l) => ({ op: l.op, label: l.op, doc: l.doc, shapeRule: l.shapeRule, group: l.category }));
  for (const s of STRUCTURAL) if (s.op === 'Sequential' || s.op === 'Graph') items.push({ op: s.op, label: s.op, doc: s.doc, group: 'container' });
  for (const b of blockNames)
    items.push({
      op: 'Block',
      block: b,
      label: b,
      doc: `An instance of block '${b}' with its own weights (edit the definition to change every instance).`,
      group: 'block',
    });
  return items;
}

export const Palette = memo(function Palette({ blockNames, onInsert }: { blockNames: string[]; onInsert: (item: PaletteItem) => void }) {
  const [query, setQuery] = useState('');
  const items = useMemo(() => paletteItems(blockNames), [blockNames]);
  const q = query.trim().toLowerCase();
  const shown = q === '' ? items : items.filter((i) => i.label.toLowerCase().includes(q) || i.doc.toLowerCase().includes(q) || i.group.includes(q));
  return (
    <aside className="nnb-palette" aria-label="Layer palette">
      <input
        className="nnb-search"
        type="search"
        placeholder="Search layers"
        aria-label="Search layers"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter' && shown.length > 0) onInsert(shown[0]);
        }}
        data-testid="palette-search"
      />
      <div className="nnb-palette-list">
        {GROUPS.map(([group, title]) => {
          const list = shown.filter((i) => i.group === group);
          if (list.length === 0 && !(group === 'block' && q === '')) return null;
          return (
            <section key={group} className="nnb-palette-group">
              <h3>{title}</h3>
              {list.length === 0 && <p className="nnb-hint">Select a group and choose “Make reusable block” to define one.</p>}
              {list.map((item) => (
                <div
                  key={`${item.op}:${item.block ?? ''}`}
                  className={`nnb-palette-item nnb-cat-${group}`}
                  draggable
                  tabIndex={0}
                  title={item.shapeRule ? `${item.doc}\nShape: ${item.shapeRule}` : item.doc}
                  data-testid={`palette-${item.label}`}
                  onDragStart={(e) => {
                    e.dataTransfer.setData(PALETTE_MIME, JSON.stringify({ op: item.op, block: item.block }));
                    e.dataTransfer.effectAllowed = 'copy';
                  }}
                  onDoubleClick={() => onInsert(item)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') onInsert(item);
                  }}
                >
                  <span className="nnb-swatch" />
                  {item.label}
                </div>
              ))}
            </section>
          );
        })}
      </div>
    </aside>
  );
});
