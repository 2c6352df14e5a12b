"""Operator accounts from the server's command line, the only way one is made:

    python -m web.operators create --login ivanova --role identification --name "Иванова И. П."
    python -m web.operators disable --login ivanova

`create` asks for the password twice (or reads one line from standard input when it is not a
terminal), then prints the TOTP secret and its otpauth:// address once: put it into the
operator's authenticator app now, it is never shown again.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from credit7_web import wiring
from credit7_web.backoffice import operators
from credit7_web.backoffice.models import Role
from credit7_web.errors import Refusal


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Пароль оператора: ")
    if getpass.getpass("Повторите пароль: ") != first:
        raise Refusal.one("password", "Пароли не совпадают")
    return first


def _create(args: argparse.Namespace) -> None:
    with wiring.unit() as u:
        enrolment = operators.create_operator(
            u.db, u.clock, u.settings, args.login, args.name, args.role, _password()
        )
    operator = enrolment.operator
    print(f"Оператор {operator.login} создан, роль: {Role(operator.role).title}.")
    print("Секрет для приложения-аутентификатора (показывается один раз):")
    print(f"  {enrolment.secret}")
    print(f"  {enrolment.uri}")


def _disable(args: argparse.Namespace) -> None:
    with wiring.unit() as u:
        operator = operators.disable_operator(u.db, u.clock, args.login)
    print(f"Оператор {operator.login} отключён, его сессии завершены.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.operators", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="создать оператора")
    create.add_argument("--login", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--name", help="имя, которое видно в журнале (по умолчанию логин)")
    create.set_defaults(run=_create)
    disable = commands.add_parser("disable", help="отключить оператора")
    disable.add_argument("--login", required=True)
    disable.set_defaults(run=_disable)
    args = parser.parse_args(argv)
    if args.command == "create" and not args.name:
        args.name = args.login
    try:
        args.run(args)
    except Refusal as refusal:
        for message in refusal.errors.values():
            print(message, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
