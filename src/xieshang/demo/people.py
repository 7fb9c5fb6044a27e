"""Synthetic borrowers with valid-looking personal data: names, resident ID numbers with their check
character, mobile numbers, bank cards with their Luhn digit, addresses and e-mails — all unique
within one demo and all drawn from the seed."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

from xieshang.customers.schemas import CustomerCreate, with_check_character
from xieshang.demo import names


class People:
    def __init__(self, rng: random.Random, as_of: date) -> None:
        self.rng = rng
        self.as_of = as_of
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.region_codes = list(names.REGION_CODES)

    def person(self, index: int, since: date) -> CustomerCreate:
        rng = self.rng
        male = rng.random() < 0.55
        surname = rng.choices(
            names.SURNAMES, weights=[1 / (r + 8) for r in range(len(names.SURNAMES))]
        )[0]
        given_pool = names.GIVEN_MALE if male else names.GIVEN_FEMALE
        if rng.random() < 0.65:
            first = rng.choice(names.GIVEN_EITHER + given_pool)
            given = first + rng.choice([c for c in given_pool if c != first])
        else:
            given = rng.choice(given_pool)
        city = rng.choices(names.CITIES, weights=[c.weight for c in names.CITIES])[0]
        district = rng.choice(city.districts)
        region = district.code if rng.random() < 0.8 else rng.choice(self.region_codes)
        while True:
            age_days = rng.randint(23 * 365, 58 * 365)
            birth = self.as_of - timedelta(age_days)
            sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)  # odd: male, even: female
            id_number = with_check_character(f"{region}{birth:%Y%m%d}{sequence:03d}")
            if id_number not in self.id_numbers:
                self.id_numbers.add(id_number)
                break
        while True:
            phone = rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                break
        card_body = rng.choice(names.CARD_BINS) + "".join(rng.choices(string.digits, k=12))
        address = f"{district.name}{rng.choice(district.streets)}{rng.randint(1, 888)}号"
        if rng.random() < 0.6:
            floor = rng.randint(1, 28)
            address += (
                f"{rng.choice(names.HOUSING_ESTATES)}{rng.randint(1, 30)}幢"
                f"{rng.randint(1, 4)}单元{floor}{rng.randint(1, 6):02d}室"
            )
        email = None
        roll = rng.random()
        if roll < 0.25:
            email = f"{rng.randint(10**5, 3 * 10**9)}@qq.com"
        elif roll < 0.45:
            handle = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 7)))
            email = f"{handle}{rng.randint(1, 9999)}@{rng.choice(names.EMAIL_DOMAINS)}"
        return CustomerCreate(
            customer_no=f"XS{index + 1:06d}",
            name=surname + given,
            id_number=id_number,
            phone=phone,
            bank_account=card_body + luhn_digit(card_body),
            province=city.province,
            city=city.name,
            address=address,
            email=email,
            since=since,
        )


def luhn_digit(body: str) -> str:
    """The Luhn check digit that completes a bank card number."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str(-total % 10)
