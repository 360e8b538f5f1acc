// Start NHS.UK frontend's components (it is an ES module, so it is imported rather than included).
import { initAll } from '/nhsuk/nhsuk-frontend.min.js'
initAll()
