"""Host adapters: thin layers that hand a host's entities to the gtlint core and its findings back."""
