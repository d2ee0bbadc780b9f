// The Express README's passport setup.
// #region passport
import { flash, session } from '@tessera/express'
import express from 'express'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import { checkPassword, findUser } from '../shared/users.js' // your user store

const app = express()
app.use(express.urlencoded({ extended: false }))
app.use(session({ secret: process.env.SESSION_SECRET! }))
app.use(flash()) // only if you use failureFlash / successFlash
app.use(passport.session())

passport.use(
  new LocalStrategy((name, password, done) => {
    checkPassword(name, password).then((user) => done(null, user ?? false), done)
  }),
)
passport.serializeUser((user, done) => done(null, user.id))
passport.deserializeUser((id: string, done) => findUser(id).then((user) => done(null, user), done))

app.post(
  '/login',
  passport.authenticate('local', {
    successRedirect: '/',
    failureRedirect: '/login',
    failureFlash: true,
  }),
)
app.post('/logout', (req, res, next) => req.logout((err) => (err ? next(err) : res.redirect('/'))))
// #endregion passport

declare global {
  namespace Express {
    interface User {
      id: string
      name: string
    }
  }
}

app.get('/', (req, res) => {
  res.send(req.user ? `Signed in as ${req.user.name}` : 'Signed out')
})
app.get('/login', (req, res) => {
  res.send(`Log in. ${req.flash('error').join(' ')}`)
})

export { app }
