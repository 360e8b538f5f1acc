// A filter box over a long list of checkboxes (a provider's footprint): typing shows only the boards whose name or
// code contains the text; ticked boxes stay ticked. Without JavaScript the box stays hidden and every board shows.
for (const box of document.querySelectorAll('[data-filter-for]')) {
  const list = document.getElementById(box.dataset.filterFor)
  const input = box.querySelector('input')
  const status = box.querySelector('[data-filter-status]')
  if (!list || !input) continue
  const items = Array.from(list.querySelectorAll('.nhsuk-checkboxes__item'))
  box.hidden = false
  input.addEventListener('input', () => {
    const text = input.value.trim().toLowerCase()
    let shown = 0
    for (const item of items) {
      const match = !text || item.textContent.toLowerCase().includes(text)
      item.hidden = !match
      if (match) shown += 1
    }
    if (status) status.textContent = text ? `${shown} board${shown === 1 ? '' : 's'} match` : ''
  })
}
