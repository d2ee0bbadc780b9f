import { normalizeUsername, type UserRepository } from '@tessera/demo-kit'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'

/**
 * Passport with passport-local, exactly as an express-session app sets it up: the strategy
 * checks the password, the session keeps the user id, each request loads the user.
 */
export function createPassport(users: UserRepository): passport.PassportStatic {
  const auth = new passport.Passport()
  auth.use(
    new LocalStrategy((username, password, done) => {
      users
        .authenticate(normalizeUsername(username), password)
        .then(
          (user) =>
            done(
              null,
              user ?? false,
              user ? undefined : { message: 'Wrong username or password.' },
            ),
          done,
        )
    }),
  )
  auth.serializeUser((user, done) => done(null, user.id))
  auth.deserializeUser((id: string, done) => {
    users.findById(id).then((user) => done(null, user ?? false), done)
  })
  return auth as passport.PassportStatic
}
