import { type Demo, field, homePage, localPath, parseTheme, saveName } from '@tessera/demo-kit'
import { Router } from 'express'
import { pageContext, sendOutcome, sendPage } from '../render.js'

/** `/`, the name form and the theme switch. */
export function homeRoutes(demo: Demo): Router {
  const router = Router()

  router.get('/', (req, res) => {
    sendPage(res, homePage(pageContext(req, demo), { name: req.session.name }))
  })

  router.post('/name', (req, res) => {
    sendOutcome(req, res, saveName(req.session, field(req.body, 'name')))
  })

  router.post('/theme', (req, res) => {
    const theme = parseTheme(field(req.body, 'theme'))
    if (theme) req.session.theme = theme
    res.redirect(localPath(field(req.body, 'back')))
  })

  return router
}
