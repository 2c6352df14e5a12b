"""Credit7 Web domain: tables, services, tariff, pricing and gateways. Never imports Reflex."""
