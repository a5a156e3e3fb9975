/** A right-click menu in VS Code's menu colours; items may open a sub-list (Share weights with...). */
import { useEffect, useRef } from 'react';

export interface MenuItem {
  label: string;
  shortcut?: string;
  disabled?: boolean;
  /** A second line: why a disabled choice is not possible. */
  detail?: string;
  run?: () => void;
  /** Choices shown in place of the menu when the item is picked. */
  children?: MenuItem[];
  separatorBefore?: boolean;
}

export function ContextMenu({
  x,
  y,
  items,
  onClose,
  onOpenChildren,
}: {
  x: number;
  y: number;
  items: MenuItem[];
  onClose: () => void;
  onOpenChildren: (items: MenuItem[]) => void;
}) {
  const ref = useRef<HTMLUListElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[role=menuitem]:not([aria-disabled=true])')?.focus();
    const close = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('mousedown', close);
    return () => window.removeEventListener('mousedown', close);
  }, [items, onClose]);
  return (
    <ul
      ref={ref}
      className="nnb-menu"
      role="menu"
      style={{ left: x, top: y }}
      onKeyDown={(e) => {
        e.stopPropagation();
        if (e.key === 'Escape') onClose();
        if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          const all = [...(ref.current?.querySelectorAll<HTMLElement>('[role=menuitem]:not([aria-disabled=true])') ?? [])];
          const i = all.indexOf(document.activeElement as HTMLElement);
          all[(i + (e.key === 'ArrowDown' ? 1 : all.length - 1)) % all.length]?.focus();
          e.preventDefault();
        }
      }}
    >
      {items.length === 0 && <li className="nnb-menu-empty">Nothing applies here</li>}
      {items.map((item) => (
        <li
          key={item.label}
          role="menuitem"
          tabIndex={-1}
          aria-disabled={item.disabled ? true : undefined}
          className={`${item.separatorBefore ? 'nnb-menu-sep' : ''}`}
          onClick={() => {
            if (item.disabled) return;
            if (item.children) onOpenChildren(item.children);
            else {
              onClose();
              item.run?.();
            }
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') (e.currentTarget as HTMLElement).click();
          }}
        >
          <span>
            {item.label}
            {item.detail !== undefined && <small className="nnb-menu-detail">{item.detail}</small>}
          </span>
          {item.shortcut && <kbd>{item.shortcut}</kbd>}
          {item.children && <span className="nnb-menu-more">›</span>}
        </li>
      ))}
    </ul>
  );
}
