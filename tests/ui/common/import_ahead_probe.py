"""A module only the app imports, ahead, in test_first_open_costs (standing in for an area's
modules there): that it is in ``sys.modules`` says the app imported it."""
